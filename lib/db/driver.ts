import 'server-only';
import type { ConnectionOptions } from 'mysql2';
import type { NodeConfig } from '@/lib/config/schema';

// The one set of mysql2 options for every connection the console opens to a node: the
// connection list's pools, its dedicated sessions (read-locks, snapshots, repairs), the
// wizard's sessions and Galera's wsrep probes. So a column has one JavaScript shape on every
// path: DATETIME/TIMESTAMP → Date read as UTC, BIGINT → number (a string only beyond 2^53),
// DECIMAL → string.
export const DRIVER_OPTIONS = {
  dateStrings: false,
  timezone: 'Z',
  supportBigNumbers: true,
  bigNumberStrings: false,
  charset: 'utf8mb4',
  multipleStatements: false,
} as const satisfies ConnectionOptions;

// Timeouts, one policy: connecting is bounded by the configured connectTimeoutMs (a probe's own
// shorter bound for probes); every statement is bounded: on the pools by queryTimeoutMs, which
// `withQueryTimeout` changes for the statements run inside it; on a dedicated session by the
// bound it was opened with (queryTimeoutMs, a probe's, or LONG_WORK_MS for copies and
// checksums), and only a session a lease destroys has none.

/** The bound of a statement that does long work on purpose (a table copy, a chunk checksum). */
export const LONG_WORK_MS = 10 * 60_000;

export function connectionOptions(
  config: NodeConfig,
  { connectTimeoutMs, database = true }: { connectTimeoutMs: number; database?: boolean },
): ConnectionOptions {
  return {
    ...DRIVER_OPTIONS,
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    ...(database ? { database: config.database } : {}),
    connectTimeout: connectTimeoutMs,
  };
}

/**
 * A value as restore's row diff and repair hold it: compared across nodes as JSON, shown to the
 * operator and written back. A Date becomes its UTC DATETIME literal (what the server stores),
 * binary becomes hex, a bigint its digits.
 */
export function plainValue(v: unknown): unknown {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '0000-00-00 00:00:00';
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/(\.000)?Z$/, '');
  }
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return typeof v === 'bigint' ? String(v) : v;
}

export function plainRow(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainValue(v)]));
}
