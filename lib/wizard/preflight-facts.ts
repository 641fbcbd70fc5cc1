import 'server-only';
import { plain } from '../dialect';
import type { AdminConn } from './admin';
import { StatementError, type StepIO } from './io';

// Everything preflight looks at on one node, read once. Only reads: preflight changes nothing.

export interface NodeFacts {
  name: string;
  index: number;
  serverId: number;
  logBin: boolean;
  /** File name part of log_bin_basename, so my.cnf keeps the binlog's current name. */
  logBinBasename?: string;
  binlogFormat: string;
  replicaUpdates: boolean;
  /** MariaDB; undefined on MySQL. */
  gtidDomainId?: number;
  /** MySQL; undefined on MariaDB. */
  gtidMode?: string;
  enforceGtid?: string;
  autoIncrementIncrement: number;
  autoIncrementOffset: number;
  charset: string;
  collation: string;
  timeZone: string;
  readOnly: boolean;
  anonymous: { user: string; host: string }[];
  databasePresent: boolean;
  privileges: Set<string>;
  grantable: boolean;
  replicaOf: string | null;
  /** null values: the setting does not exist (MySQL plugin not installed). */
  semiSync: {
    sourceEnabled: boolean | null;
    replicaEnabled: boolean | null;
    waitPoint: string | null;
    waitNoReplica: boolean | null;
    timeoutMs: number | null;
  };
}

const orNull = <T>(v: unknown, f: (v: unknown) => T): T | null =>
  v === null || v === undefined ? null : f(v);
const on = (v: unknown) => v === 1 || v === '1' || String(v).toUpperCase() === 'ON';

// An account short of privileges cannot run every read; the privileges check then says why.
async function tryRead(io: StepIO, c: AdminConn, stmt: Parameters<StepIO['read']>[1]) {
  try {
    return await io.read(c, stmt);
  } catch (err) {
    if (err instanceof StatementError && [1044, 1142, 1227].includes(err.errno ?? 0)) return [];
    throw err;
  }
}

export async function readFacts({
  c,
  io,
  index,
  database,
}: {
  c: AdminConn;
  io: StepIO;
  index: number;
  database: string;
}): Promise<NodeFacts> {
  const [g = {}] = await io.read(c, c.dialect.gtidPreflight());
  const [v = {}] = await io.read(
    c,
    'SELECT @@GLOBAL.auto_increment_increment AS inc, @@GLOBAL.auto_increment_offset AS off, ' +
      '@@GLOBAL.character_set_server AS cs, @@GLOBAL.collation_server AS coll, @@GLOBAL.time_zone AS tz, ' +
      '@@GLOBAL.system_time_zone AS stz, @@GLOBAL.read_only AS ro, @@GLOBAL.log_bin_basename AS lbb',
  );
  const anon = await tryRead(io, c, "SELECT User AS user, Host AS host FROM mysql.user WHERE User = ''");
  const db = await io.read(
    c,
    plain('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]),
  );
  const privs = await io.read(c, c.dialect.currentPrivileges());
  const [status] = await tryRead(io, c, c.dialect.replicaStatus());
  const [semi = {}] = await tryRead(io, c, c.dialect.semiSyncSettings());
  const tz = String(v.tz) === 'SYSTEM' ? `SYSTEM (${v.stz})` : String(v.tz);
  return {
    name: c.name,
    index,
    serverId: Number(g.server_id),
    logBin: on(g.log_bin),
    ...(v.lbb ? { logBinBasename: String(v.lbb).split('/').pop() } : {}),
    binlogFormat: String(g.binlog_format ?? ''),
    replicaUpdates: on(g.log_replica_updates),
    ...(g.gtid_domain_id !== undefined ? { gtidDomainId: Number(g.gtid_domain_id) } : {}),
    ...(g.gtid_mode !== undefined
      ? { gtidMode: String(g.gtid_mode), enforceGtid: String(g.enforce_gtid_consistency) }
      : {}),
    autoIncrementIncrement: Number(v.inc),
    autoIncrementOffset: Number(v.off),
    charset: String(v.cs),
    collation: String(v.coll),
    timeZone: tz,
    readOnly: on(v.ro),
    anonymous: anon.map((r) => ({ user: String(r.user), host: String(r.host) })),
    databasePresent: db.length > 0,
    privileges: new Set(privs.map((p) => String(p.privilege).toUpperCase())),
    grantable: privs.some((p) => String(p.grantable).toUpperCase() === 'YES'),
    replicaOf: status
      ? `${status.Master_Host ?? status.Source_Host}:${status.Master_Port ?? status.Source_Port}`
      : null,
    semiSync: {
      sourceEnabled: orNull(semi.source_enabled, on),
      replicaEnabled: orNull(semi.replica_enabled, on),
      waitPoint: orNull(semi.wait_point, String),
      waitNoReplica: orNull(semi.wait_no_replica, on),
      timeoutMs: orNull(semi.timeout_ms, Number),
    },
  };
}
