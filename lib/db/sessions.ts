import 'server-only';
import type { Readable } from 'node:stream';
import { type Connection, createConnection } from 'mysql2/promise';
import type { NodeConfig } from '@/lib/config/schema';
import { AppError } from '@/lib/errors';
import { errorCode } from './classify';
import { connectionOptions } from './driver';
import { describeConnectionError } from './probe';

// A dedicated session on one node: a connection of its own, outside the pool, for work that
// must stay on one server session (a read-lock lives exactly as long as its connection, a
// consistent snapshot as long as its transaction, a repair's transaction until COMMIT) or must
// not wait behind the pool (the wizard, a wsrep probe). Same driver options as the pools
// (driver.ts); every statement bounded; no statement text is ever put in an error message.

export type Row = Record<string, unknown>;

export interface SessionOptions {
  connectTimeoutMs: number;
  /**
   * The bound of each statement; null for none: only for a session whose work is bounded
   * otherwise (a read-lock's lease destroys the session).
   */
  statementTimeoutMs: number | null;
  /** false: no default database (a fresh node does not have the SIP database yet). */
  database?: boolean;
}

export interface Session {
  readonly name: string;
  /** The rows of one statement; [] for a statement that returns none. */
  rows<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A statement that changes rows; how many it changed. */
  change(sql: string, params?: readonly unknown[]): Promise<number>;
  /** A statement's rows as arrays, one at a time (a table copy); not bounded by a timeout. */
  stream(sql: string): AsyncIterable<unknown[]>;
  /** Ends the session, waiting for nothing that is still running. */
  close(): Promise<void>;
  /** Drops the connection at once: the server ends the session and releases its locks. */
  destroy(): void;
}

export async function openSession(config: NodeConfig, opts: SessionOptions): Promise<Session> {
  let conn: Connection;
  try {
    conn = await createConnection(
      connectionOptions(config, { connectTimeoutMs: opts.connectTimeoutMs, database: opts.database }),
    );
  } catch (err) {
    throw new AppError(
      'unavailable:database',
      `Cannot open a session on ${config.name}: ${describeConnectionError(err)}.`,
      { cause: err },
    );
  }
  conn.on('error', () => undefined); // seen again by the next statement
  let closed = false;
  const query = async (sql: string, params?: readonly unknown[]): Promise<unknown> => {
    const timeout = opts.statementTimeoutMs ?? undefined;
    try {
      const [r] = await conn.query({ sql, values: params as unknown[] | undefined, timeout });
      return r;
    } catch (err) {
      // mysql2 leaves a timed-out statement queued: the session cannot be used again.
      if (errorCode(err) === 'PROTOCOL_SEQUENCE_TIMEOUT') destroy();
      throw err;
    }
  };
  const destroy = () => {
    closed = true;
    conn.destroy();
  };
  return {
    name: config.name,
    rows: async <R>(sql: string, params?: readonly unknown[]) => {
      const r = await query(sql, params);
      return (Array.isArray(r) ? r : []) as R[];
    },
    change: async (sql, params) =>
      Number(((await query(sql, params)) as { affectedRows?: number }).affectedRows ?? 0),
    stream: (sql) => {
      const raw = (conn as unknown as { connection: { query(o: object): { stream(o: object): Readable } } })
        .connection;
      return raw.query({ sql, rowsAsArray: true }).stream({ highWaterMark: 2000 });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await conn.end().catch(() => conn.destroy());
    },
    destroy,
  };
}

/** Runs `fn` on a session of its own and always ends the session, dropping it after a failure. */
export async function withSession<T>(
  config: NodeConfig,
  opts: SessionOptions,
  fn: (s: Session) => Promise<T>,
): Promise<T> {
  const s = await openSession(config, opts);
  try {
    const value = await fn(s);
    await s.close();
    return value;
  } catch (err) {
    s.destroy(); // a statement may still run on it: do not wait for it to end
    throw err;
  }
}
