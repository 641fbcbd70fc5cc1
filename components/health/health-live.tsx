'use client';

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
  const { overview } = data;
  const rpc = new Map(data.kamailio.map((k) => [k.name, k]));
  return (
    <div className="space-y-8">
      <Section id="topo-h" title="Topology">
        <Topology
          nodes={overview.nodes}
          sip={overview.sip}
          services={overview.services}
          directions={data.directions}
        />
      </Section>
      <Section id="db-h" title="Database nodes">
        <NodeTable nodes={overview.nodes} replication={data.nodes} />
      </Section>
      <Section id="dir-h" title="Replication directions">
        {data.directions.length ? (
          <div className="grid gap-4 md:grid-cols-2">
            {data.directions.map((d) => (
              <DirectionCard key={`${d.from}-${d.to}`} d={d} />
            ))}
          </div>
        ) : (
          <p className="text-sm text-slate-500">No node reports a replication source (yet).</p>
        )}
      </Section>
      <Section id="sip-h" title="SIP servers">
        <div className="grid gap-4 md:grid-cols-2">
          {overview.sip.map((s) => (
            <SipHealth
              key={s.name}
              server={s}
              rpc={rpc.get(s.name)}
              service={overview.services?.find((x) => x.name === s.name)}
            />
          ))}
        </div>
      </Section>
      <Section id="charts-h" title="Last hour">
        <HistoryCharts />
      </Section>
      <UpdatedAt at={dataUpdatedAt} failed={!!error} />
    </div>
  );
}
