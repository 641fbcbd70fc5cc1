'use client';

import { Topology } from '../topology/topology';
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
      <section aria-labelledby="topo-h">
        <h2 id="topo-h" className="mb-3 text-lg font-semibold">
          Topology
        </h2>
        <Topology nodes={overview.nodes} sip={overview.sip} directions={data.directions} />
      </section>
      <section aria-labelledby="db-h">
        <h2 id="db-h" className="mb-3 text-lg font-semibold">
          Database nodes
        </h2>
        <NodeTable nodes={overview.nodes} replication={data.nodes} />
      </section>
      <section aria-labelledby="dir-h">
        <h2 id="dir-h" className="mb-3 text-lg font-semibold">
          Replication directions
        </h2>
        {data.directions.length ? (
          <div className="grid gap-4 md:grid-cols-2">
            {data.directions.map((d) => (
              <DirectionCard key={`${d.from}-${d.to}`} d={d} />
            ))}
          </div>
        ) : (
          <p className="text-sm text-slate-500">No node reports a replication source (yet).</p>
        )}
      </section>
      <section aria-labelledby="sip-h">
        <h2 id="sip-h" className="mb-3 text-lg font-semibold">
          SIP servers
        </h2>
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
      </section>
      <section aria-labelledby="charts-h">
        <h2 id="charts-h" className="mb-3 text-lg font-semibold">
          Last hour
        </h2>
        <HistoryCharts />
      </section>
      <p className="text-xs text-slate-500">
        Updated {new Date(dataUpdatedAt).toLocaleTimeString('en-GB', { hour12: false })}
        {error ? ' · the last refresh failed; showing the previous state' : ''}
      </p>
    </div>
  );
}
