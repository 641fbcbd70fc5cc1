import type { Flavor } from '../../dialect/version.ts';
import { CONNECT_ERRORS } from './advice-connect.ts';
import { DATA_ERRORS, type ExplainContext, type Explanation } from './advice-data.ts';

// Entry point for turning Last_IO_Error / Last_SQL_Error (or an error-log line) into advice.

export type { Explanation, Severity } from './advice-data.ts';

export interface ExplainInput {
  errno?: number | null;
  message?: string | null;
  /** Node names: `from` is the source, `to` the replica reporting the error. */
  direction?: { from: string; to: string };
  /** Tailors the skip-one-event instructions; both spellings are given when unknown. */
  flavor?: Flavor;
}

// Patterns seen in SHOW REPLICA STATUS text and error logs, most specific first.
const ERRNO_PATTERNS: RegExp[] = [
  /Internal Maria(?:DB)? error code:\s*(\d+)/i, // MariaDB: "... message: ..., Internal MariaDB error code: 2003"
  /Error_code:\s*(?:MY-0*)?(\d+)/i, // "Could not execute Write_rows event ...; Error_code: 1062"
  /Got fatal error (\d+) from (?:master|source)/i, // 1236 wrapper text
  /\bMY-0*(\d{4,6})\b/, // MySQL 8 log tags such as [MY-002003] (after Error_code, which wins)
  /\berror(?: code)?[:\s]+(\d{4})\b/i, // "Error: 2003", "error 1045"
  /\bERROR (\d{4})\b/,
];

// Last resort when the text carries no number at all.
const MESSAGE_PATTERNS: Array<[RegExp, number]> = [
  [/Duplicate entry/i, 1062],
  [/Can't find record|HA_ERR_KEY_NOT_FOUND/i, 1032],
  [/Table '[^']*' doesn't exist/i, 1146],
  [/purged binary logs|could not find (?:first log file|GTID)|not in the master's binlog/i, 1236],
  [/equal (?:MySQL|MariaDB) server (?:ids|UUIDs)/i, 1593],
  [/Access denied for user/i, 1045],
  [/Unknown (?:MySQL |MariaDB )?server host/i, 2005],
  [/SSL connection error|TLS/i, 2026],
  [/Can't connect to|Connection refused/i, 2003],
];

export function extractErrno(message: string): number | null {
  for (const re of ERRNO_PATTERNS) {
    const m = re.exec(message);
    if (m?.[1]) return Number(m[1]);
  }
  for (const [re, errno] of MESSAGE_PATTERNS) if (re.test(message)) return errno;
  return null;
}

function fallback(errno: number | null, message: string, ctx: ExplainContext): Explanation {
  return {
    title: errno ? `Replication error ${errno}` : 'Replication stopped',
    meaning:
      `Replication on ${ctx.here} stopped with an error sipha has no specific advice for` +
      (message ? `: ${message}` : '.'),
    fix: [
      errno
        ? `Look the code up: https://err.mariadb.com/${errno} (MariaDB) or the MySQL server error reference.`
        : '',
      'Read the full message in SHOW REPLICA STATUS (Last_IO_Error / Last_SQL_Error) and the error log.',
      'Do not skip events or reset the replica before you understand what diverged.',
    ].filter(Boolean),
    severity: 'error',
  };
}

export function explainReplicationError(input: ExplainInput): Explanation & { errno: number | null } {
  const message = (input.message ?? '').trim();
  // errno 0 is what SHOW REPLICA STATUS reports when there is no error; treat as "not given".
  const errno = input.errno ? input.errno : message ? extractErrno(message) : null;
  const ctx: ExplainContext = {
    here: input.direction
      ? `${input.direction.to} (replicating from ${input.direction.from})`
      : 'this replica',
    peer: input.direction?.from ?? 'the source',
    ...(input.flavor ? { flavor: input.flavor } : {}),
  };
  const entry = errno === null ? undefined : (DATA_ERRORS[errno] ?? CONNECT_ERRORS[errno]);
  return { errno, ...(entry ? entry(ctx) : fallback(errno, message, ctx)) };
}
