import 'server-only';
import type { NodeConfig } from '@/lib/config/schema';
import { LONG_WORK_MS } from '@/lib/db/driver';
import { openSession, type Session } from '@/lib/db/sessions';
import { type Dialect, detectFlavor, dialectFor, type ServerVersion } from '../dialect';

// The wizard talks to each node directly with the configured console account (no failover,
// no default database: a fresh replica does not have the SIP database yet), on a dedicated
// session of the same kind the connection list opens (lib/db/sessions.ts: same driver options,
// every statement bounded). One session per node per step; closed when the step ends.

export interface AdminConn {
  name: string;
  config: NodeConfig;
  conn: Session;
  version: ServerVersion;
  versionText: string;
  dialect: Dialect;
}

// biome-ignore lint/suspicious/noExplicitAny: rows of SHOW/SELECT statements are read by column name.
export type Row = Record<string, any>;

export async function openAdmin({
  node,
  connectTimeoutMs = 3000,
}: {
  node: NodeConfig;
  connectTimeoutMs?: number;
}): Promise<AdminConn> {
  // Steps copy whole tables and wait for replication: long work, bounded generously.
  const conn = await openSession(node, {
    connectTimeoutMs,
    statementTimeoutMs: LONG_WORK_MS,
    database: false,
  });
  try {
    const [r = {}] = await conn.rows<Row>('SELECT VERSION() AS v, @@version_comment AS c');
    const version = detectFlavor(String(r.v), String(r.c ?? ''));
    return {
      name: node.name,
      config: node,
      conn,
      version,
      versionText: String(r.v),
      dialect: dialectFor(version),
    };
  } catch (err) {
    conn.destroy();
    throw err;
  }
}

export async function closeAll(conns: Iterable<AdminConn>): Promise<void> {
  await Promise.all([...conns].map((c) => c.conn.close()));
}

/** Opens one admin connection per node, runs fn, always closes them. */
export async function withAdmins<T>(
  nodes: NodeConfig[],
  fn: (conns: Map<string, AdminConn>) => Promise<T>,
): Promise<T> {
  const conns = new Map<string, AdminConn>();
  try {
    for (const node of nodes) conns.set(node.name, await openAdmin({ node }));
    return await fn(conns);
  } finally {
    await closeAll(conns.values());
  }
}
