'use client';

import type { ActionState } from '@/lib/action-state';
import { ClusterGroups } from '../cluster-groups';
import { Section } from '../section';
import { UpdatedAt } from '../updated-at';
import { useOverview } from '../use-overview';
import { FenceControl } from './fence-control';
import { NodeCard } from './node-card';
import { SipCard } from './sip-card';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** `fenceAction` is passed only to admins: others see no control. */
export function OverviewLive({ fenceAction }: { fenceAction?: Action }) {
  const { data, error, dataUpdatedAt } = useOverview();
  if (!data)
    return (
      <p className="text-slate-500">
        {error ? 'The console cannot read the status right now.' : 'Loading status…'}
      </p>
    );
  // With more than one cluster, each cluster's nodes and SIP servers under its name.
  const clusters = data.clusters ?? [data];
  return (
    <div className="space-y-8">
      <Section
        id="nodes-h"
        title={
          <>
            Database nodes <span className="text-sm font-normal text-slate-500">(connection list order)</span>
          </>
        }
      >
        <ClusterGroups groups={clusters}>
          {(c) => {
            // Fencing the only node of its cluster that can take writes would stop its writes: not offered.
            const writable = c.nodes.filter((n) => n.role === 'active' || n.role === 'standby').length;
            return (
              <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {c.nodes.map((n) => (
                  <NodeCard key={n.name} node={n}>
                    {fenceAction &&
                      n.reachable &&
                      (n.role === 'fenced' || (n.role === 'active' && writable > 1)) && (
                        <FenceControl
                          node={n.name}
                          cluster={data.clusters ? c.cluster : undefined}
                          fenced={n.role === 'fenced'}
                          action={fenceAction}
                        />
                      )}
                  </NodeCard>
                ))}
              </div>
            );
          }}
        </ClusterGroups>
      </Section>
      <Section id="sip-h" title="SIP servers">
        <ClusterGroups groups={clusters}>
          {(c) => (
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {c.sip.map((s) => (
                <SipCard key={s.name} server={s} service={c.services?.find((x) => x.name === s.name)} />
              ))}
            </div>
          )}
        </ClusterGroups>
      </Section>
      <UpdatedAt at={dataUpdatedAt} failed={!!error} />
    </div>
  );
}
