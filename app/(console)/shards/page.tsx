import type { Metadata } from 'next';
import { ClustersTable } from '@/components/shards/clusters-table';
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
      <p className="max-w-3xl text-sm text-slate-600">
        Users are split by the user part of their address across clusters, each a replicated pair with its own
        SIP servers; the first stage
        {o.firstStages.length
          ? ` (${o.firstStages.map((f) => `${f.name} ${f.host}:${f.udpPort}`).join(', ')})`
          : ''}{' '}
        holds this map in memory and sends REGISTER and INVITE to the owning cluster, never to another.
      </p>
      <ClustersTable clusters={o.clusters} />
      <section aria-labelledby="map-title" className="space-y-2">
        <h2 id="map-title" className="font-semibold">
          Map version {o.map.version}
        </h2>
        <p className="text-sm text-slate-600">
          {o.map.at
            ? `Written ${o.map.at} by ${o.map.actor}: ${o.map.reason}. `
            : 'No map written yet: every user belongs to the first cluster. '}
          {o.map.overrides} single-user overrides{o.map.moving ? `, ${o.map.moving} users moving now` : ''}.
        </p>
        <pre className="max-w-md rounded bg-slate-50 p-2 text-sm">{o.map.text}</pre>
      </section>
      {o.moves.length > 0 && (
        <section aria-labelledby="moves-title" className="space-y-2">
          <h2 id="moves-title" className="font-semibold">
            Unfinished moves
          </h2>
          <ul className="space-y-1 text-sm">
            {o.moves.map((m) => (
              <li key={m.moveId} className="flex flex-wrap items-center gap-3">
                <span className="font-mono">{m.moveId.slice(0, 8)}</span>
                <span>
                  {m.users} users, {m.status} at {m.phase}
                  {m.detail ? ` — ${m.detail}` : ''}
                </span>
                <ResumeMove moveId={m.moveId} action={resumeMoveAction} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {multi ? (
        <PlannerForm text={o.map.text} preview={previewAction} move={moveRangesAction} />
      ) : (
        <p className="text-sm text-slate-600">One cluster is configured: there is nothing to split.</p>
      )}
    </div>
  );
}
