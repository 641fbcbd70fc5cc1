import 'server-only';
import type { ConnectionList, NodeRuntime, Stmt } from '@/lib/db/connection-list';
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
