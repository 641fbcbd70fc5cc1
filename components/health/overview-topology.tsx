'use client';

import { Topology } from '../topology/topology';
import { useOverview } from '../use-overview';
import { HistoryCharts } from './history-charts';

/** The topology picture and the lag chart for the overview page (same /api/status poll). */
export function OverviewTopology() {
  const { data } = useOverview();
  if (!data) return null;
  return (
    <section aria-labelledby="ov-topo-h" className="mt-8 space-y-4">
      <h2 id="ov-topo-h" className="text-lg font-semibold">
        Topology and lag
      </h2>
      <Topology
        nodes={data.nodes}
        sip={data.sip}
        services={data.services}
        directions={data.directions ?? []}
      />
      <HistoryCharts registrations={false} />
    </section>
  );
}
