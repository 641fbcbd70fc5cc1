'use client';

import { ClusterGroups } from '../cluster-groups';
import { Topology } from '../topology/topology';
import { useOverview } from '../use-overview';
import { HistoryCharts } from './history-charts';

/**
 * The topology picture (one per cluster, labelled with its name, when more than one is
 * configured) and the lag chart for the overview page (same /api/status poll).
 */
export function OverviewTopology() {
  const { data } = useOverview();
  if (!data) return null;
  return (
    <section aria-labelledby="ov-topo-h" className="mt-8 space-y-4">
      <h2 id="ov-topo-h" className="text-lg font-semibold">
        Topology and lag
      </h2>
      <ClusterGroups groups={data.clusters ?? [data]}>
        {(c) => (
          <Topology nodes={c.nodes} sip={c.sip} services={c.services} directions={c.directions ?? []} />
        )}
      </ClusterGroups>
      <HistoryCharts registrations={false} />
    </section>
  );
}
