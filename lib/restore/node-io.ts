import 'server-only';
import { CompiledQuery, type Kysely } from 'kysely';
import type { ConnectionList, NodeRuntime } from '@/lib/db/connection-list';
import type { DB } from '@/lib/db/schema';
import { type Dialect, dialectFor, type Statement } from '../dialect';
import { normalizeReplicaStatus, type ReplicaStatus } from '../health/replication/status';

// Per-node helpers of the restore: every statement goes to one named node (list.onNode, no
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
    const r = await list.onNode(node, (db) =>
      db.executeQuery<{ v: string }>(CompiledQuery.raw('SELECT VERSION() AS v')),
    );
    version = r.rows[0]?.v ?? '';
  }
  return { list, node, name, dialect: dialectFor(version) };
}

export async function exec<R = Record<string, unknown>>(db: Kysely<DB>, s: Statement): Promise<R[]> {
  const r = await db.executeQuery<R>(CompiledQuery.raw(s.sql, [...(s.params ?? [])]));
  return r.rows;
}

export function onCtx<R = Record<string, unknown>>(
  c: NodeCtx,
  s: Statement,
  timeoutMs?: number,
): Promise<R[]> {
  return c.list.onNode(c.node, (db) => exec<R>(db, s), timeoutMs);
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
