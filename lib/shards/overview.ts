import 'server-only';
import { clusters, connectionListOf, isFailedOver } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { liveJob } from '@/lib/jobs/registry';
import { mapVersions, readMap } from './map';
import { type MoveRow, unfinishedMoves } from './move';
import { formatRanges } from './ranges-text';

// What the shards page shows: each cluster with where it writes now and how many users it holds,
// the current map, and moves that have not finished (after a console restart, to resume).

export interface ClusterSummary {
  name: string;
  nodes: string[];
  sip: string[];
  active: string | null;
  failedOver: boolean;
  users: number | null;
}

export async function shardOverview() {
  const summaries: ClusterSummary[] = await Promise.all(
    clusters().map(async (c) => {
      const list = await connectionListOf(c.name);
      const users = await list
        .read((db) =>
          db
            .selectFrom('subscriber')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow(),
        )
        .then((r) => Number(r.value.n))
        .catch(() => null);
      return {
        name: c.name,
        nodes: c.nodes.map((n) => n.name),
        sip: c.sipServers.map((s) => s.name),
        active: list.active()?.handle.name ?? null,
        failedOver: isFailedOver(list),
        users,
      };
    }),
  );
  const [map, versions] = await Promise.all([readMap(), mapVersions({ limit: 5 })]);
  const moves: MoveRow[] = clusters().length > 1 ? await unfinishedMoves() : [];
  return {
    clusters: summaries,
    firstStages: getConfig().firstStages.map((f) => ({ name: f.name, host: f.host, udpPort: f.udpPort })),
    map: {
      version: map.version,
      ranges: map.ranges,
      text: formatRanges(map.ranges),
      overrides: map.overrides.size,
      moving: map.moving.size,
      actor: map.actor,
      reason: map.reason,
      at: map.at?.toISOString() ?? null,
    },
    versions: versions.map((v) => ({
      version: v.version,
      ranges: formatRanges(v.ranges).replace(/\n/g, '; '),
      reason: v.reason,
      actor: v.actor,
      at: v.at.toISOString(),
    })),
    moves: moves.map((m) => ({
      moveId: m.moveId,
      status: m.status,
      phase: m.phase,
      detail: m.detail,
      users: m.plan.users,
      /** The ranges the move ends with. */
      to: formatRanges(m.plan.ranges).replace(/\n/g, '; '),
      /** Running in this console process now (else stopped by a failure or a restart). */
      inProgress: liveJob(m.moveId)?.ended === false,
    })),
  };
}

export type ShardOverview = Awaited<ReturnType<typeof shardOverview>>;
