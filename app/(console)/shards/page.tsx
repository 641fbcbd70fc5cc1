import type { Metadata } from 'next';
import { ClustersTable } from '@/components/shards/clusters-table';
import { MapVersions } from '@/components/shards/map-versions';
import { PlannerForm } from '@/components/shards/planner-form';
import { ResumeMove } from '@/components/shards/resume-move';
import { requirePageUser } from '@/lib/auth/guard';
import { shardOverview } from '@/lib/shards/overview';
import { moveRangesAction, previewAction, resumeMoveAction } from './actions';

export const metadata: Metadata = { title: 'Shards' };
export const dynamic = 'force-dynamic';

export default async function ShardsPage() {
  await requirePageUser('admin');
  const o = await shardOverview();
  const multi = o.clusters.length > 1;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Clusters and the shard map</h1>
      {multi ? (
        <p className="max-w-3xl text-sm text-slate-600">
          Users are split by the user part of their address across {o.clusters.length} clusters, each with its
          own databases and SIP servers. The first stage
          {o.firstStages.length
            ? ` (${o.firstStages.map((f) => `${f.name} ${f.host}:${f.udpPort}`).join(', ')})`
            : ''}{' '}
          holds this map in memory: a REGISTER goes to the cluster of its address, a call first to the
          caller's cluster (which authenticates it), then to the callee's. A cluster whose SIP servers are all
          down answers 503; its users are never sent to another cluster.
        </p>
      ) : (
        <p className="max-w-3xl text-sm text-slate-600">
          One cluster is configured, so every user belongs to it and there is no map to plan. To share load
          across clusters, list them under <code>clusters</code> in the configuration with a first stage in
          front (see the README, “Clusters and the shard map”); this page then plans and moves users.
        </p>
      )}
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
            Moves not finished
          </h2>
          <ul className="space-y-1 text-sm">
            {o.moves.map((m) => (
              <li key={m.moveId} className="flex flex-wrap items-center gap-3">
                <span className="font-mono">{m.moveId.slice(0, 8)}</span>
                <span>
                  {m.users} users to <span className="font-mono">{m.to}</span>,{' '}
                  {m.inProgress
                    ? `moving now (phase ${m.phase})`
                    : m.status === 'failed'
                      ? `stopped by a failure at ${m.phase}`
                      : `stopped at ${m.phase} (the console restarted)`}
                  {m.detail ? (m.inProgress ? ` — so far: ${m.detail}` : ` — ${m.detail}`) : ''}
                </span>
                {!m.inProgress && <ResumeMove moveId={m.moveId} action={resumeMoveAction} />}
              </li>
            ))}
          </ul>
        </section>
      )}
      {multi && <PlannerForm text={o.map.text} preview={previewAction} move={moveRangesAction} />}
    </div>
  );
}
