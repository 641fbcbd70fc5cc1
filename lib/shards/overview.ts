import 'server-only';
import { clusters, connectionListOf, isFailedOver } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { mapVersions, readMap } from './map';
import { type MoveRow, recentMoves, rollbackRefusal } from './move';
import { rollbackWords } from './move-rollback';
import { formatRanges } from './ranges-text';

// What the shards page shows: each cluster with where it writes now and how many users it holds,
// the current map, and moves that have not finished (after a console restart, to resume or roll
// back), or the last one that ended lately. Polled by the page while it is open.

const RECENT_MS = 30 * 60_000;

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
  const recent: MoveRow[] = clusters().length > 1 ? await recentMoves({ limit: 20 }) : [];
  // Moves not finished; when there is none, the last one that ended if it ended lately (its
  // outcome stays in view for a while).
  const ended = (m: MoveRow) => m.status === 'done' || m.status === 'rolled_back';
  const unfinished = recent.filter((m) => !ended(m));
  const last = recent.find(ended);
  const moves = unfinished.length
    ? unfinished
    : last && Date.now() - (last.finishedAt ?? 0) < RECENT_MS
      ? [last]
      : [];
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
      mode: m.mode,
      phase: m.phase,
      detail: m.detail,
      users: m.plan.users,
      registrations: m.plan.registrations,
      groups: m.plan.groups.map((g) => ({ source: g.source, target: g.target, users: g.users.length })),
      /** The ranges the move ends with. */
      to: formatRanges(m.plan.ranges).replace(/\n/g, '; '),
      steps: m.steps,
      /** Running in this console process now (else stopped by a failure or a restart). */
      inProgress: m.inProgress,
      /** The other console process running it that still reports ("process 4123 on lab1"), or null. */
      elsewhere: m.elsewhere,
      committed: m.committed,
      /** Resume: a move (not a rollback) that stopped. */
      canResume: !m.inProgress && !m.elsewhere && m.mode === 'move' && m.status !== 'done',
      /** Why Roll back is not offered, or null; and what it would do, step by step. */
      rollbackRefusal: rollbackRefusal(m),
      rollbackSteps: Object.values(rollbackWords(m.plan)),
    })),
  };
}

export type ShardOverview = Awaited<ReturnType<typeof shardOverview>>;
