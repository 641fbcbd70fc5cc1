import 'server-only';
import { Kysely, MysqlDialect } from 'kysely';
import { createPool, type Pool, type PoolConnection } from 'mysql2';
import type { NodeConfig } from '@/lib/config/schema';
import { NodeDownError } from './classify';
import { connectionOptions } from './driver';
import type { DB } from './schema';
import { scopedTimeout, sendGuardError } from './send-guard';

// One mysql2 pool and one Kysely per configured node. Every statement carries a timeout so a
// hung server (SIGSTOP: the kernel accepts TCP, nothing answers) cannot hold a request longer
// than the bound; long work (imports, snapshots) raises it for its own calls only.

/** Raised when a connection could not be had: the statement never reached the server. */
export class AcquireError extends Error {
  readonly code: string;
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.code = (original as { code?: string })?.code ?? 'ECONNREFUSED';
  }
}

export interface NodeHandle {
  name: string;
  config: NodeConfig;
  db: Kysely<DB>;
  /** Connections checked out right now; broken at once when the node is found dead. */
  abortInFlight(): void;
  /**
   * While set, no statement is sent to the node: a statement that picked the node just before
   * it was found down would otherwise reach it when it wakes, after writes moved on.
   */
  setDown(down: boolean): void;
  /**
   * New sessions from now on. A session copies auto_increment_increment/offset and similar
   * globals when it connects, so after the wizard changes them the pool's old sessions would
   * keep allocating colliding keys. The old pool is ended once its statements have had time
   * to finish (they are bounded by the statement timeout).
   */
  recycle(): void;
  close(): Promise<void>;
}

export function createNodeHandle(opts: {
  config: NodeConfig;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  poolSize?: number;
}): NodeHandle {
  const { config } = opts;
  const newPool = (): Pool => {
    const p = createPool({
      ...connectionOptions(config, { connectTimeoutMs: opts.connectTimeoutMs }),
      connectionLimit: opts.poolSize ?? 10,
      maxIdle: opts.poolSize ?? 10,
      idleTimeout: 30_000,
      enableKeepAlive: true,
      keepAliveInitialDelay: 5_000,
    });
    // mysql2 emits errors of idle connections on the pool; they are seen again at use time.
    p.on('connection', (c) => c.on('error', () => undefined));
    return p;
  };
  let pool = newPool();

  const inFlight = new Set<PoolConnection>();
  let down = false;
  const kyselyPool = {
    getConnection(cb: (err: unknown, conn?: unknown) => void) {
      if (down) return cb(new AcquireError(new NodeDownError(config.name)));
      pool.getConnection((err, conn) => {
        if (err) return cb(new AcquireError(err));
        if (down) {
          conn.release();
          return cb(new AcquireError(new NodeDownError(config.name)));
        }
        inFlight.add(conn);
        cb(
          null,
          wrapConnection(
            conn,
            opts.queryTimeoutMs,
            () => inFlight.delete(conn),
            () => (down ? new NodeDownError(config.name) : null),
          ),
        );
      });
    },
    end(cb: (err: unknown) => void) {
      cb(null); // the handle owns the pool and ends it in close()
    },
  };

  const db = new Kysely<DB>({ dialect: new MysqlDialect({ pool: kyselyPool as never }) });
  return {
    name: config.name,
    config,
    db,
    recycle() {
      const old = pool;
      pool = newPool();
      setTimeout(() => old.end(() => undefined), opts.queryTimeoutMs * 2).unref();
    },
    abortInFlight() {
      for (const c of inFlight) breakConnection(c);
      inFlight.clear();
    },
    setDown(d: boolean) {
      down = d;
    },
    close: () => new Promise<void>((resolve) => pool.end(() => resolve())),
  };
}

/**
 * mysql2's destroy() only half-closes the socket (stream.end()): a statement already sent would
 * still be answered, and reported done, when a hung node wakes up, long after writes moved on.
 * So the socket is torn down and the pending statement failed the way mysql2 itself does on a
 * connect timeout (private API), then the connection leaves the pool.
 */
function breakConnection(c: PoolConnection): void {
  const raw = c as unknown as { stream?: { destroy(): void }; _handleNetworkError?(e: Error): void };
  raw.stream?.destroy();
  raw._handleNetworkError?.(
    Object.assign(new Error('connection broken: the node was found down'), {
      code: 'PROTOCOL_CONNECTION_LOST',
    }),
  );
  c.destroy();
}

function wrapConnection(
  conn: PoolConnection,
  defaultTimeout: number,
  onRelease: () => void,
  downError: () => Error | null,
) {
  // mysql2 leaves a timed-out statement queued on its connection; such a connection must never
  // go back to the pool, or the next caller would wait behind the hung statement.
  let broken = false;
  const onResult = (cb: (err: unknown, result?: unknown) => void) => (err: unknown, result?: unknown) => {
    if ((err as { code?: string } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
      broken = true;
      conn.destroy();
    }
    cb(err, result);
  };
  return {
    query(sql: string, values: unknown[], cb?: (err: unknown, result?: unknown) => void) {
      const timeout = scopedTimeout() ?? defaultTimeout;
      const down = cb ? (downError() ?? sendGuardError()) : null;
      if (cb && down) {
        broken = true;
        conn.destroy();
        return cb(down);
      }
      if (cb) return conn.query({ sql, values, timeout }, onResult(cb));
      return conn.query({ sql, values, timeout });
    },
    release() {
      onRelease();
      if (!broken) conn.release();
    },
  };
}
