'use client';

import { useOverview } from '../use-overview';
import { GaleraTopology } from './galera-topology';

/** The overview's topology for a Galera cluster (same /api/status poll as the banner). */
export function GaleraOverviewTopology() {
  const { data } = useOverview();
  const g = data?.galera;
  if (!g) return null;
  const problem = g.failover;
  return (
    <section aria-labelledby="ov-galera-h" className="mt-8 space-y-2">
      <h2 id="ov-galera-h" className="text-lg font-semibold">
        Galera cluster
      </h2>
      <p className="text-sm text-slate-600">
        {g.primarySize > 0
          ? `One synchronous group: ${g.primarySize} of ${g.configured} nodes in the primary component; writes go to ${g.writer ?? 'no node'}.`
          : `No primary component: no node can take writes (${g.configured} configured).`}{' '}
        <a href="/galera" className="underline">
          Details and operations
        </a>
      </p>
      {problem && (
        <p
          className={`text-sm font-medium ${problem.severity === 'down' ? 'text-red-700' : 'text-amber-800'}`}
        >
          {problem.words}
        </p>
      )}
      <GaleraTopology nodes={g.nodes} />
    </section>
  );
}
