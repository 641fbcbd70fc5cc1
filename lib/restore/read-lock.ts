import 'server-only';
import type { ConnectionList, Session } from '@/lib/db/connection-list';

// Step c: the read-lock on the survivor.
//
// FLUSH TABLES WITH READ LOCK on a connection of its own, opened by this console process and
// by nothing else: the lock lives exactly as long as that TCP connection. If the console dies
// (crash, OOM, SIGKILL) the kernel closes the socket, the server ends the session and the lock
// is gone at once — the survivor takes writes again without anyone doing anything.
//
// We deliberately do NOT set read_only=ON on the survivor as well. read_only is a global
// setting that outlives the session: if the console died while holding it, the survivor (the
// only node taking writes) would stay read-only until a human noticed. On MariaDB it would add
// nothing anyway: FTWRL blocks every writer, SUPER and READ ONLY ADMIN holders included, and
// replication's SQL thread too. (MySQL's super_read_only has the same persistence problem.)
//
// A lease bounds the lock: when it runs out, a timer destroys the connection (which unlocks)
// and the run aborts, whatever step it was in.

export interface ReadLockOptions {
  list: ConnectionList;
  node: string;
  leaseMs: number;
  onLeaseExpired: () => void;
}

export class ReadLock {
  private conn: Session | null = null;
  private timer: NodeJS.Timeout | null = null;
  acquiredAt: number | null = null;
  releasedAt: number | null = null;
  expired = false;

  private constructor(private readonly opts: ReadLockOptions) {}

  /** Connects (and authenticates) ahead of time so the lock window does not include it. */
  static async prepare(opts: ReadLockOptions): Promise<ReadLock> {
    const l = new ReadLock(opts);
    // No statement bound: the lease bounds the session's whole life.
    l.conn = await opts.list.openSession(opts.node, { statementTimeoutMs: null });
    // The session must not wait on metadata locks for the whole lease: FTWRL waits for running
    // statements; a hung one makes the lock fail instead of holding writers behind it.
    await l.conn.rows(`SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(opts.leaseMs / 1000))}`);
    return l;
  }

  async acquire(): Promise<void> {
    if (!this.conn) throw new Error('read lock connection closed');
    // The lease starts before FTWRL: waiting for running transactions counts against it too.
    this.timer = setTimeout(() => {
      this.expired = true;
      this.destroy();
      this.opts.onLeaseExpired();
    }, this.opts.leaseMs);
    this.timer.unref();
    const leaseStart = Date.now();
    await this.conn.rows('FLUSH TABLES WITH READ LOCK');
    this.acquiredAt = performance.now();
    this.leaseEndsAt = leaseStart + this.opts.leaseMs;
  }

  leaseEndsAt = 0;

  remainingMs(): number {
    return Math.max(0, this.leaseEndsAt - Date.now());
  }

  /** The survivor's final position, read under the lock on the same session. */
  async finalPosition(sql: string): Promise<Record<string, string | null>> {
    if (!this.conn) throw new Error('read lock lost');
    const [row] = await this.conn.rows<Record<string, string | null>>(sql);
    return row ?? {};
  }

  /** UNLOCK TABLES; returns the lock window in ms (FTWRL returned → UNLOCK returned). */
  async release(): Promise<number | null> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.conn && this.acquiredAt !== null && this.releasedAt === null) {
      try {
        await this.conn.rows('UNLOCK TABLES');
        this.releasedAt = performance.now();
      } catch {
        this.destroy();
      }
    }
    await this.close();
    return this.windowMs();
  }

  windowMs(): number | null {
    if (this.acquiredAt === null) return null;
    return Math.round((this.releasedAt ?? performance.now()) - this.acquiredAt);
  }

  /** Drops the session: the server releases the lock with it. */
  destroy(): void {
    if (this.releasedAt === null && this.acquiredAt !== null) this.releasedAt = performance.now();
    this.conn?.destroy();
    this.conn = null;
  }

  private async close(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    await c?.close();
  }
}
