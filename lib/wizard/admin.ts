import 'server-only';
import type { NodeConfig } from '@/lib/config/schema';
import type { SessionUse } from '@/lib/db/connection-list';
import { LONG_WORK_MS } from '@/lib/db/driver';
import type { Session } from '@/lib/db/sessions';
import { type Dialect, detectFlavor, dialectFor, type ServerVersion } from '../dialect';
import type { WizardContext } from './context';

// The wizard talks to each node directly with the configured console account (no failover,
// no default database: a fresh replica does not have the SIP database yet), on a dedicated
// session the connection list opens (ctx.openSession = list.openSession). One session per node
// per step; closed when the step ends.

/** The wizard's sessions: steps copy whole tables and wait for replication, bounded generously. */
const WIZARD_SESSION: SessionUse = { statementTimeoutMs: LONG_WORK_MS, database: false };

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

type Opener = Pick<WizardContext, 'openSession'>;

export async function openAdmin({ ctx, node }: { ctx: Opener; node: NodeConfig }): Promise<AdminConn> {
  const conn = await ctx.openSession(node.name, WIZARD_SESSION);
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
  ctx: Opener,
  nodes: NodeConfig[],
  fn: (conns: Map<string, AdminConn>) => Promise<T>,
): Promise<T> {
  const conns = new Map<string, AdminConn>();
  try {
    for (const node of nodes) conns.set(node.name, await openAdmin({ ctx, node }));
    return await fn(conns);
  } finally {
    await closeAll(conns.values());
  }
}
