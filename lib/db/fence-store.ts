import 'server-only';
import { sql } from 'kysely';
import type { NodeHandle } from './node';

// Where the fenced/active state lives, and why: in the replicated database itself
// (table sipha_node_state), one row per node, stamped with a cluster-wide epoch that grows by
// one at every change. Every console process pointed at the same nodes reads the same rows,
// and a restarted console finds them again. A change is written to the node that is active
// after the change, so it never touches a fenced node; the fenced node receives it later through
// replication while it catches up, and until then its own (stale) rows lose because their epoch
// is lower. A file next to one console could not be shared, and a separate store would be one
// more thing that can fail on the night the database does.

export interface FenceEntry {
  fenced: boolean;
  reason: string;
  changedAt: Date;
  changedBy: string;
}

export interface FenceState {
  epoch: number;
  nodes: Map<string, FenceEntry>;
}

export const emptyFenceState = (): FenceState => ({ epoch: 0, nodes: new Map() });

export async function readFenceState(node: NodeHandle): Promise<FenceState | null> {
  try {
    const rows = await node.db.selectFrom('sipha_node_state').selectAll().execute();
    const state = emptyFenceState();
    for (const r of rows) {
      state.epoch = Math.max(state.epoch, Number(r.epoch));
      state.nodes.set(r.node, {
        fenced: Number(r.fenced) === 1,
        reason: r.reason,
        changedAt: new Date(r.changed_at),
        changedBy: r.changed_by,
      });
    }
    return state;
  } catch (err) {
    // Before the first migration the table does not exist: no fencing has ever happened.
    if ((err as { errno?: number }).errno === 1146) return emptyFenceState();
    throw err;
  }
}

/** The freshest view wins: the highest epoch among the nodes that answered. */
export function newestFenceState(states: (FenceState | null)[]): FenceState {
  let best = emptyFenceState();
  for (const s of states) if (s && s.epoch > best.epoch) best = s;
  return best;
}

export async function writeFenceState(node: NodeHandle, state: FenceState): Promise<void> {
  await node.db.transaction().execute(async (trx) => {
    for (const [name, e] of state.nodes) {
      await trx
        .insertInto('sipha_node_state')
        .values({
          node: name,
          fenced: e.fenced ? 1 : 0,
          reason: e.reason.slice(0, 255),
          changed_at: e.changedAt,
          epoch: state.epoch,
          changed_by: e.changedBy.slice(0, 64),
        })
        .onDuplicateKeyUpdate({
          fenced: sql`VALUES(fenced)`,
          reason: sql`VALUES(reason)`,
          changed_at: sql`VALUES(changed_at)`,
          epoch: sql`VALUES(epoch)`,
          changed_by: sql`VALUES(changed_by)`,
        })
        .execute();
    }
  });
}
