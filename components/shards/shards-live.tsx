'use client';

import { useQuery } from '@tanstack/react-query';
import { getJson } from '@/components/get-json';
import type { ActionState } from '@/lib/action-state';
import type { ShardOverview } from '@/lib/shards/overview';
import { ClustersTable } from './clusters-table';
import { MapVersions } from './map-versions';
import { MoveCard } from './move-card';
import { PlannerForm } from './planner-form';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/**
 * The live part of /shards: clusters with their user counts, the map, moves with their phases.
 * Polled every second while a move (or its rollback) runs here, every 5 s otherwise.
 */
export function ShardsLive({
  initial,
  actions,
}: {
  initial: ShardOverview;
  actions: { preview: Action; move: Action; resume: Action; rollback: Action };
}) {
  const { data: o } = useQuery({
    queryKey: ['shards'],
    queryFn: ({ signal }) => getJson<ShardOverview>('/api/shards', signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.moves.some((m) => m.inProgress || m.elsewhere) ? 1000 : 5000),
  });
  const multi = o.clusters.length > 1;
  return (
    <div className="space-y-6">
      <ClustersTable clusters={o.clusters} />
      {o.map.moving > 0 && (
        <p className="text-sm text-slate-600">
          While users move they are counted in both clusters: their rows are copied first and removed from the
          old cluster last.
        </p>
      )}
      {multi && (
        <section aria-labelledby="map-title" className="space-y-2">
          <h2 id="map-title" className="font-semibold">
            Map version {o.map.version}
          </h2>
          <p className="text-sm text-slate-600">
            {o.map.at
              ? `Written ${o.map.at.replace('T', ' ').slice(0, 19)} UTC by ${o.map.actor} (“${o.map.reason}”). `
              : `No map written yet: every user belongs to ${o.clusters[0]?.name}. `}
            {o.map.overrides === 1 ? '1 single-user override' : `${o.map.overrides} single-user overrides`}
            {o.map.moving ? `, ${o.map.moving} users moving now` : ''}.
          </p>
          <pre className="max-w-md rounded bg-slate-50 p-2 text-sm">{o.map.text}</pre>
          {o.versions.length > 1 && (
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-700">Recent versions</summary>
              <div className="mt-2">
                <MapVersions versions={o.versions} />
              </div>
            </details>
          )}
        </section>
      )}
      {o.moves.length > 0 && (
        <section aria-labelledby="moves-title" className="space-y-2">
          <h2 id="moves-title" className="font-semibold">
            Moves
          </h2>
          {o.moves.map((m) => (
            <MoveCard key={m.moveId} m={m} resume={actions.resume} rollback={actions.rollback} />
          ))}
        </section>
      )}
      {multi && <PlannerForm text={o.map.text} preview={actions.preview} move={actions.move} />}
    </div>
  );
}
