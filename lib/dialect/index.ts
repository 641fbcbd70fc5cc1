import { mariadbDialect } from './mariadb.ts';
import { mysqlDialect } from './mysql.ts';
import type { Dialect } from './types.ts';
import { atLeast, detectFlavor, formatVersion, type ServerVersion } from './version.ts';

// The single entry point for everything that differs between MariaDB 10.6–11.x and MySQL
// 8.0 / 8.4: callers never spell replication SQL themselves, they ask dialectFor(version).
// The flavour-specific text lives in mariadb.ts and mysql.ts (split only to keep files small);
// nothing outside lib/dialect/ may branch on the flavour.
//
// IMPORTANT: no MySQL server is available where sipha is developed. The MySQL SQL is covered
// by the reviewed golden files in __golden__/ only and has never been run here; the MariaDB
// SQL was additionally parse-checked (PREPARE, never executed) against MariaDB 10.11.
//
// Pure module (no I/O): it only builds statements; executing them is the caller's job.

export { formatGtids, type GtidMap, parseGtids, ringStartPosition } from './gtid-mariadb.ts';
export { maskSecrets, plain, quoteString, type Statement } from './quote.ts';
export type {
  Dialect,
  NodeSettings,
  ReplicationAccount,
  SnapshotStep,
  SnapshotStepRole,
  SourceEndpoint,
} from './types.ts';
export { detectFlavor, type Flavor, type ServerVersion } from './version.ts';

/** Accepts a parsed version or the raw `SELECT VERSION()` string. */
export function dialectFor(version: ServerVersion | string): Dialect {
  const v = typeof version === 'string' ? detectFlavor(version) : version;
  if (v.flavor === 'mariadb') {
    // Below 10.4 is out of support and never tested; 10.4/10.5 pass so upgrades can proceed.
    if (!atLeast(v, 10, 4)) throw new Error(`${formatVersion(v)} is too old (MariaDB 10.6 or later)`);
    return mariadbDialect(v);
  }
  if (!atLeast(v, 8, 0)) throw new Error(`${formatVersion(v)} is too old (MySQL 8.0 or later)`);
  return mysqlDialect(v);
}
