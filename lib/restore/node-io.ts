import 'server-only';
import type { ConnectionList, NodeRuntime, Session, Stmt } from '@/lib/db/connection-list';
import { LONG_WORK_MS } from '@/lib/db/driver';
import { type Dialect, dialectFor } from '../dialect';
import { normalizeReplicaStatus, type ReplicaStatus } from '../health/replication/status';

// Per-node helpers of the restore: every statement goes to one named node (list.on, no
// failover) and is spelled by the dialect.

export interface NodeCtx {
  list: ConnectionList;
  node: NodeRuntime;
  name: string;
  dialect: Dialect;
}

export async function nodeCtx({ list, name }: { list: ConnectionList; name: string }): Promise<NodeCtx> {
  const node = list.node(name);
  let version = node.version;
  if (!version) {
    const [r] = await list.on(node).rows<{ v: string }>('SELECT VERSION() AS v');
    version = r?.v ?? '';
  }
  return { list, node, name, dialect: dialectFor(version) };
}

export function onCtx<R = Record<string, unknown>>(
  c: NodeCtx,
  s: Stmt | string,
  timeoutMs?: number,
): Promise<R[]> {
  return c.list.on(c.node).rows<R>(s, timeoutMs);
}

export interface Positions {
  /** Everything in this node's binary log (MariaDB gtid_binlog_pos, MySQL gtid_executed). */
  binlog: string;
}

export async function positions(c: NodeCtx): Promise<Positions> {
  const [row] = await onCtx<Record<string, string | null>>(c, c.dialect.gtidPositions());
  return { binlog: String(row?.gtid_binlog_pos ?? row?.gtid_executed ?? '').replace(/\s/g, '') };
}

export async function replicaStatus(c: NodeCtx): Promise<ReplicaStatus | null> {
  const [row] = await onCtx(c, c.dialect.replicaStatus());
  return row ? normalizeReplicaStatus(c.dialect.version.flavor, row) : null;
}

/**
 * A dedicated session on each node of the pair (snapshots, repairs), in UTC, prepared by the
 * same `setup` statements; both are dropped if either cannot be opened or prepared.
 */
export async function openPair({
  survivor,
  target,
  setup,
}: {
  survivor: NodeCtx;
  target: NodeCtx;
  setup: string[];
}): Promise<{ survivor: Session; target: Session; close(): Promise<void> }> {
  const open = async (c: NodeCtx) => {
    const s = await c.list.openSession(c.name, { statementTimeoutMs: LONG_WORK_MS });
    try {
      for (const sql of ["SET SESSION time_zone = '+00:00'", ...setup]) await s.rows(sql);
      return s;
    } catch (err) {
      s.destroy();
      throw err;
    }
  };
  const [a, b] = await Promise.allSettled([open(survivor), open(target)]);
  if (a.status === 'rejected' || b.status === 'rejected') {
    for (const r of [a, b]) if (r.status === 'fulfilled') r.value.destroy();
    throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
  }
  const pair = [a.value, b.value];
  return {
    survivor: a.value,
    target: b.value,
    close: async () => {
      await Promise.all(pair.map((s) => s.close()));
    },
  };
}
