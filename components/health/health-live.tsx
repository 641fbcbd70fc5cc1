'use client';

import type { ClusterHealth } from '@/lib/health/types';
import { ClusterGroups } from '../cluster-groups';
import { Section } from '../section';
import { Topology } from '../topology/topology';
import { UpdatedAt } from '../updated-at';
import { DirectionCard } from './direction-card';
import { HistoryCharts } from './history-charts';
import { NodeTable } from './node-table';
import { SipHealth } from './sip-health';
import { useHealthDetail } from './use-health';

export function HealthLive() {
  const { data, error, dataUpdatedAt } = useHealthDetail();
  if (!data)
    return (
      <p className="text-slate-500">
        {error ? 'The console cannot read the health right now.' : 'Loading health…'}
      </p>
    );
  // With more than one cluster, each section shows every cluster under its name.
  const clusters: ClusterHealth[] = data.clusters ?? [{ ...data, cluster: data.overview.cluster ?? '' }];
  return (
    <div className="space-y-8">
      <Section id="topo-h" title="Topology">
        <ClusterGroups groups={clusters}>
          {(c) => (
            <Topology
              nodes={c.overview.nodes}
              sip={c.overview.sip}
              services={c.overview.services}
              directions={c.directions}
            />
          )}
        </ClusterGroups>
      </Section>
      <Section id="db-h" title="Database nodes">
        <ClusterGroups groups={clusters}>
          {(c) => <NodeTable nodes={c.overview.nodes} replication={c.nodes} />}
        </ClusterGroups>
      </Section>
      <Section id="dir-h" title="Replication directions">
        <ClusterGroups groups={clusters}>
          {(c) =>
            c.directions.length ? (
              <div className="grid gap-4 md:grid-cols-2">
                {c.directions.map((d) => (
                  <DirectionCard key={`${d.from}-${d.to}`} d={d} />
                ))}
              </div>
            ) : (
              <p className="text-sm text-slate-500">No node reports a replication source (yet).</p>
            )
          }
        </ClusterGroups>
      </Section>
      <Section id="sip-h" title="SIP servers">
        <ClusterGroups groups={clusters}>
          {(c) => {
            const rpc = new Map(c.kamailio.map((k) => [k.name, k]));
            return (
              <div className="grid gap-4 md:grid-cols-2">
                {c.overview.sip.map((s) => (
                  <SipHealth
                    key={s.name}
                    server={s}
                    rpc={rpc.get(s.name)}
                    service={c.overview.services?.find((x) => x.name === s.name)}
                  />
                ))}
              </div>
            );
          }}
        </ClusterGroups>
      </Section>
      <Section id="charts-h" title="Last hour">
        <HistoryCharts />
      </Section>
      <UpdatedAt at={dataUpdatedAt} failed={!!error} />
    </div>
  );
}
