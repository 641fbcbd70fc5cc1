import 'server-only';
import type { Statement } from '../dialect';
import type { AdminConn, Row } from './admin';
import type { LogEntry, Progress } from './types';

// How a step touches the servers. Every write is recorded with its masked text before it is
// sent; in a dry run (the preview shown before the operator presses Run) writes are only
// recorded, while reads still run so the preview is computed by the very same code.

export interface StepIO {
  dryRun: boolean;
  log: LogEntry[];
  /** A statement that changes something: recorded (masked), then run unless dry. */
  exec(c: AdminConn, stmt: Statement): Promise<Row[]>;
  /** A statement that only reads; recorded unless quiet (polling loops). */
  read(c: AdminConn, stmt: Statement | string, opts?: { quiet?: boolean }): Promise<Row[]>;
  note(node: string, text: string): void;
  progress(p: Progress): void;
}

export class StatementError extends Error {
  constructor(
    readonly node: string,
    readonly display: string,
    readonly errno: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const MAX_LOG = 400;

export function createIO({
  dryRun,
  onProgress,
  onLog,
}: {
  dryRun: boolean;
  onProgress?: (p: Progress) => void;
  onLog?: () => void;
}): StepIO {
  const log: LogEntry[] = [];
  const push = (e: LogEntry) => {
    if (log.length >= MAX_LOG) log.splice(1, 1); // keep the first entry and the newest ones
    log.push(e);
    onLog?.();
    return e;
  };
  const run = async (c: AdminConn, stmt: Statement, record: boolean): Promise<Row[]> => {
    const entry = record
      ? push({ at: new Date().toISOString(), node: c.name, sql: stmt.display, outcome: 'planned' })
      : undefined;
    try {
      const r = await c.conn.rows<Row>(stmt.sql, stmt.params);
      if (entry) entry.outcome = 'ok';
      return r;
    } catch (err) {
      const e = err as { errno?: number; sqlMessage?: string; message?: string };
      // The server's message may quote the statement: never the raw SQL with its secrets.
      const msg = (e.sqlMessage ?? e.message ?? 'failed').split(stmt.sql).join(stmt.display);
      if (entry) {
        entry.outcome = 'failed';
        entry.note = `${e.errno ? `error ${e.errno}: ` : ''}${msg}`;
      }
      throw new StatementError(c.name, stmt.display, e.errno, `${c.name}: ${stmt.display} failed: ${msg}`);
    }
  };
  return {
    dryRun,
    log,
    exec: async (c, stmt) => {
      if (dryRun) {
        push({ at: new Date().toISOString(), node: c.name, sql: stmt.display, outcome: 'planned' });
        return [];
      }
      return run(c, stmt, true);
    },
    read: (c, stmt, opts) =>
      run(c, typeof stmt === 'string' ? { sql: stmt, display: stmt } : stmt, !opts?.quiet),
    note: (node, text) => {
      push({ at: new Date().toISOString(), node, sql: `-- ${text}`, outcome: 'ok' });
    },
    progress: (p) => onProgress?.(p),
  };
}
