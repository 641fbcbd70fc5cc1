import type { Metadata } from 'next';
import { ShardsLive } from '@/components/shards/shards-live';
import { requirePageUser } from '@/lib/auth/guard';
import { shardOverview } from '@/lib/shards/overview';
import { moveRangesAction, previewAction, resumeMoveAction, rollbackMoveAction } from './actions';

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
      <ShardsLive
        initial={o}
        actions={{
          preview: previewAction,
          move: moveRangesAction,
          resume: resumeMoveAction,
          rollback: rollbackMoveAction,
        }}
      />
    </div>
  );
}
