import 'server-only';
import mysql, { type Connection } from 'mysql2/promise';
import type { NodeConfig } from '@/lib/config/schema';
import { AppError } from '@/lib/errors';
import { type Dialect, detectFlavor, dialectFor, type ServerVersion } from '../dialect';

// The wizard talks to each node directly with the configured console account (no failover,
// no default database: a fresh replica does not have the SIP database yet). One connection per
// node per step; closed when the step ends.

export interface AdminConn {
  name: string;
  config: NodeConfig;
  conn: Connection;
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
  let conn: Connection;
  try {
    conn = await mysql.createConnection({
      host: node.host,
      port: node.port,
      user: node.user,
      password: node.password,
      connectTimeout: connectTimeoutMs,
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  } catch (err) {
    throw new AppError(
      'unavailable:database',
      `Cannot connect to ${node.name} (${node.host}:${node.port}): ${connectMessage(err)}`,
      { cause: err },
    );
  }
  conn.on('error', () => undefined);
  const [rows] = await conn.query('SELECT VERSION() AS v, @@version_comment AS c');
  const r = (rows as Row[])[0] ?? {};
  const version = detectFlavor(String(r.v), String(r.c ?? ''));
  return {
    name: node.name,
    config: node,
    conn,
    version,
    versionText: String(r.v),
    dialect: dialectFor(version),
  };
}

function connectMessage(err: unknown): string {
  const e = err as { code?: string; errno?: number; sqlMessage?: string };
  if (e.errno === 1045)
    return 'access denied for the configured user (check user and password in the configuration)';
  if (e.code === 'ECONNREFUSED') return 'connection refused (is the server running, is the port right?)';
  if (e.code === 'ETIMEDOUT') return 'timed out (host unreachable or firewalled)';
  return e.sqlMessage ?? e.code ?? 'connection failed';
}

export async function closeAll(conns: Iterable<AdminConn>): Promise<void> {
  await Promise.all([...conns].map((c) => c.conn.end().catch(() => c.conn.destroy())));
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

export async function rows({
  c,
  sql,
  params,
}: {
  c: AdminConn;
  sql: string;
  params?: readonly unknown[];
}): Promise<Row[]> {
  const [r] = await c.conn.query(sql, params as unknown[] | undefined);
  return r as Row[];
}
