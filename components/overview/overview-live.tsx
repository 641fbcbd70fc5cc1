'use client';

import type { ActionState } from '@/lib/action-state';
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
  // Fencing the only node that can take writes would stop all writes: not offered.
  const writable = data?.nodes.filter((n) => n.role === 'active' || n.role === 'standby').length ?? 0;
  if (!data)
    return (
      <p className="text-slate-500">
        {error ? 'The console cannot read the status right now.' : 'Loading status…'}
      </p>
    );
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
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {data.nodes.map((n) => (
            <NodeCard key={n.name} node={n}>
              {fenceAction &&
                n.reachable &&
                (n.role === 'fenced' || (n.role === 'active' && writable > 1)) && (
                  <FenceControl node={n.name} fenced={n.role === 'fenced'} action={fenceAction} />
                )}
            </NodeCard>
          ))}
        </div>
      </Section>
      <Section id="sip-h" title="SIP servers">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {data.sip.map((s) => (
            <SipCard key={s.name} server={s} service={data.services?.find((x) => x.name === s.name)} />
          ))}
        </div>
      </Section>
      <UpdatedAt at={dataUpdatedAt} failed={!!error} />
    </div>
  );
}
