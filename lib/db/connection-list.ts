import 'server-only';
import type { Kysely } from 'kysely';
import type { SiphaConfig } from '@/lib/config/schema';
import { AppError } from '@/lib/errors';
import { ER_READ_ONLY, errorCode, errorErrno, isConnectionError } from './classify';
import {
  emptyFenceState,
  type FenceState,
  newestFenceState,
  readFenceState,
  writeFenceState,
} from './fence-store';
import { AcquireError, createNodeHandle, type NodeHandle, withQueryTimeout } from './node';
import { probeNode } from './probe';
import { drainRelayLog, setReadOnly, stopSemiSyncWait } from './promote';
import {
  type NodeRole,
  type NodeRuntime,
  newRuntime,
  notFirstNodeWarning,
  recordDown,
  recordUp,
  unavailableMessage,
  unknownOutcomeMessage,
} from './runtime';
import type { DB } from './schema';

export type { NodeRole, NodeRuntime } from './runtime';

// The ordered list of database connections (DESIGN.md, "Rules the paper sets"):
// - writes go to the first eligible node (reachable and not fenced);
// - only connection-level failures move the active node, never a query error;
// - failover is sticky: the node we moved away from is fenced until restored;
// - a write whose outcome is unknown is verified on the next node, never blindly repeated.

export interface Served<T> {
  value: T;
  node: string;
  /** True when the write was found already applied (after a connection broke mid-write). */
  verified?: boolean;
  /** A write that did not land on the first node of the list says so, in one wording. */
  warning?: string;
}

export interface WriteOptions<T> {
  run: (db: Kysely<DB>, node: string) => Promise<T>;
  /** Looks for the write's effect; returns it when the write is already there. */
  verify?: (db: Kysely<DB>, node: string) => Promise<T | undefined>;
  timeoutMs?: number;
}

export class ConnectionList {
  readonly nodes: NodeRuntime[];
  fence: FenceState = emptyFenceState();
  private readonly cfg: SiphaConfig['connection'];
  private failoverChain: Promise<unknown> = Promise.resolve();
  /**
   * The node writes went to last. Failover is this moving *down* the list: only then did a
   * lower node take writes the higher one misses, so only then is the higher one fenced. A node
   * that goes down while no other can take writes is not fenced: it missed nothing.
   */
  private writer: NodeRuntime | undefined;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private lastFenceRead = 0;
  private readyPromise: Promise<void> | null = null;

  constructor(
    config: Pick<SiphaConfig, 'nodes' | 'connection'>,
    readonly actor = 'console',
  ) {
    this.cfg = config.connection;
    this.nodes = config.nodes.map((n) =>
      newRuntime(
        createNodeHandle({
          config: n,
          connectTimeoutMs: this.cfg.connectTimeoutMs,
          queryTimeoutMs: this.cfg.queryTimeoutMs,
        }),
      ),
    );
  }

  /** First probe round and fence state; later calls return at once. */
  ready(): Promise<void> {
    this.readyPromise ??= this.probeAll(true).then(() => this.startProber());
    return this.readyPromise;
  }

  isFenced(name: string): boolean {
    return this.fence.nodes.get(name)?.fenced === true;
  }

  roleOf(n: NodeRuntime): NodeRole {
    if (this.isFenced(n.handle.name)) return 'fenced';
    if (n.reachable === false) return 'down';
    return this.active()?.handle.name === n.handle.name ? 'active' : 'standby';
  }

  /** The first eligible node, or undefined when none is. */
  active(): NodeRuntime | undefined {
    return this.nodes.find((n) => n.reachable !== false && !this.isFenced(n.handle.name));
  }

  node(name: string): NodeRuntime {
    const n = this.nodes.find((x) => x.handle.name === name);
    if (!n) throw new AppError('not_found:resource', `No node named ${name} in the configuration`);
    return n;
  }

  async read<T>(run: (db: Kysely<DB>, node: string) => Promise<T>, timeoutMs?: number): Promise<Served<T>> {
    return this.execute({ run, timeoutMs }, true);
  }

  async write<T>(opts: WriteOptions<T>): Promise<Served<T>> {
    return this.execute(opts, false);
  }

  private async execute<T>(opts: WriteOptions<T>, isRead: boolean): Promise<Served<T>> {
    await this.ready();
    let unknownOutcome = false;
    let transient = 0;
    for (let attempt = 0; attempt < this.nodes.length + 2; attempt++) {
      // Fence the node we move away from, and let the new one drain its relay log, first.
      await this.settle();
      const n = this.active();
      if (!n) throw new AppError('unavailable:database', this.unavailableMessage());
      const name = n.handle.name;
      try {
        if (unknownOutcome && opts.verify) {
          const found = await this.onNode(n, (db) => opts.verify!(db, name), opts.timeoutMs);
          if (found !== undefined)
            return { value: found, node: name, verified: true, ...this.landedOn(name) };
        }
        const value = await this.onNode(n, (db) => opts.run(db, name), opts.timeoutMs);
        return isRead ? { value, node: name } : { value, node: name, ...this.landedOn(name) };
      } catch (err) {
        const readOnlyRefusal = errorErrno(err) === ER_READ_ONLY;
        if (!isConnectionError(err) && !readOnlyRefusal) throw err;
        if (readOnlyRefusal) {
          await this.refreshFence(true);
          if (!this.isFenced(name)) throw err; // read_only for another reason: the caller's error
        } else if (n.reachable !== false && (await probeNode(n.handle.config, this.probeTimeoutMs())).ok) {
          // One broken connection (a stale pooled socket, a killed thread) on a node that
          // answers a fresh probe is no reason to fence it: try the same node again, once.
          if (transient++ > 0)
            throw new AppError('failed:database', `The connection to ${name} keeps breaking.`, {
              cause: err,
            });
        } else {
          this.markDown(n, err);
        }
        if (!isRead && !(err instanceof AcquireError)) {
          // The statement may have committed before the connection broke.
          if (!opts.verify)
            throw new AppError('unknown_outcome:database', unknownOutcomeMessage(name), { cause: err });
          unknownOutcome = true;
        }
      }
    }
    throw new AppError('unavailable:database', this.unavailableMessage());
  }

  private landedOn(name: string): { warning?: string } {
    const warning = notFirstNodeWarning([name], this.nodes[0]!.handle.name);
    return warning ? { warning } : {};
  }

  /** Runs on one named node, with no failover: for health, replication and restore work. */
  async onNode<T>(n: NodeRuntime, run: (db: Kysely<DB>) => Promise<T>, timeoutMs?: number): Promise<T> {
    const t = timeoutMs ?? this.cfg.queryTimeoutMs;
    const task = withQueryTimeout(t, () => run(n.handle.db));
    // A statement timeout alone does not prove the node is gone: a probe decides.
    try {
      return await task;
    } catch (err) {
      if (errorCode(err) === 'PROTOCOL_SEQUENCE_TIMEOUT') {
        const probe = await probeNode(n.handle.config, this.probeTimeoutMs());
        if (probe.ok)
          // Alive but slow: a write may still commit there, so its outcome is unknown.
          throw new AppError(
            'unknown_outcome:database',
            `The statement on ${n.handle.name} took longer than ${t} ms and was abandoned; it may still complete.`,
            { cause: err },
          );
      }
      throw err;
    }
  }

  private probeTimeoutMs(): number {
    return Math.min(this.cfg.connectTimeoutMs, 800);
  }

  private unavailableMessage(): string {
    return unavailableMessage(this.nodes, (name) => this.isFenced(name));
  }

  /** Marks a node unreachable; the next settle() fails over if writes must move down. */
  markDown(n: NodeRuntime, err: unknown): void {
    // Statements still waiting on a node now known gone would sit until their own timeout;
    // breaking them lets a write move on (and be verified) at once.
    if (recordDown(n, err)) n.handle.abortInFlight();
  }

  /** Brings `writer` up to date with active(), failing over when it moves down the list. */
  private settle(): Promise<void> {
    const run = async () => {
      const next = this.active();
      const prev = this.writer;
      if (prev && next !== prev && !this.isFenced(prev.handle.name) && prev.reachable === false) {
        const below = next && this.nodes.indexOf(next) > this.nodes.indexOf(prev);
        if (below) await this.failover(prev, next);
      }
      // While no node can take writes the last writer stays remembered: whichever node takes
      // writes next is compared with it.
      this.writer = this.active() ?? prev;
    };
    const p = this.failoverChain.then(run, run);
    // Never rejects: a failed step is logged and writes go on against the new node.
    this.failoverChain = p.catch((e) => console.error('[sipha] failover step failed', e));
    return this.failoverChain.then(() => undefined);
  }

  /** Runs inside settle() only, so failovers never overlap. */
  private async failover(from: NodeRuntime, next: NodeRuntime): Promise<void> {
    // Another console may have changed the state meanwhile: build on the newest epoch.
    this.fence = newestFenceState([this.fence, await readFenceState(next.handle).catch(() => null)]);
    if (this.isFenced(from.handle.name)) return;
    const state: FenceState = { epoch: this.fence.epoch + 1, nodes: new Map(this.fence.nodes) };
    state.nodes.set(from.handle.name, {
      fenced: true,
      reason: `failover: ${from.lastError ?? 'unreachable'}`,
      changedAt: new Date(),
      changedBy: this.actor,
    });
    this.fence = state; // in memory first: no write may go to the old node from now on
    console.warn(
      `[sipha] failover: ${from.handle.name} is down (${from.lastError}); writing to ${next.handle.name}`,
    );
    await stopSemiSyncWait(next.handle).catch(() => undefined);
    await drainRelayLog(next.handle, 2).catch(() => undefined);
    await writeFenceState(next.handle, state).catch((e) =>
      console.error('[sipha] could not persist fence state', e),
    );
  }

  /** Operator action (audited by the caller): lets a fenced node take writes again. */
  async setFenced(name: string, fenced: boolean, reason: string, actor: string): Promise<string> {
    await this.ready();
    const state: FenceState = { epoch: this.fence.epoch + 1, nodes: new Map(this.fence.nodes) };
    state.nodes.set(name, { fenced, reason, changedAt: new Date(), changedBy: actor });
    const target = this.nodes.find(
      (n) => n.reachable !== false && !(state.nodes.get(n.handle.name)?.fenced ?? false),
    );
    if (!target) throw new AppError('unavailable:database', this.unavailableMessage());
    await writeFenceState(target.handle, state);
    this.fence = state;
    this.writer = this.active();
    if (!fenced && this.cfg.fenceReadOnly)
      await setReadOnly(this.node(name).handle, false).catch(() => undefined);
    return target.handle.name;
  }

  startProber(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probeAll(false), this.cfg.probeIntervalMs);
    this.timer.unref();
  }

  async probeAll(first: boolean): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await Promise.all(this.nodes.map((n) => this.probeOne(n)));
      await this.refreshFence(first);
      // At start the writer is the preferred node: starting while it is down is a failover too,
      // since the node below will take writes it misses.
      if (first) this.writer = this.nodes.find((n) => !this.isFenced(n.handle.name));
      await this.settle();
    } finally {
      this.probing = false;
    }
  }

  private async probeOne(n: NodeRuntime): Promise<void> {
    const r = await probeNode(n.handle.config, this.probeTimeoutMs());
    n.checkedAt = new Date();
    if (!r.ok) {
      const code = r.error === 'no answer (timed out)' ? 'SIPHA_PROBE_TIMEOUT' : 'ECONNREFUSED';
      this.markDown(n, { code, errno: r.errno });
      n.lastError = r.error ?? 'unreachable';
      return;
    }
    recordUp(n, r);
    // A fenced node that answers again must not take writes from SIP servers either.
    if (this.cfg.fenceReadOnly && this.isFenced(n.handle.name) && r.readOnly === false) {
      await withQueryTimeout(this.probeTimeoutMs(), () => setReadOnly(n.handle, true)).catch(() => undefined);
      n.readOnly = true;
    }
  }

  /** Reads the shared fence state (all reachable nodes, highest epoch wins) every few seconds. */
  async refreshFence(force: boolean): Promise<void> {
    if (!force && Date.now() - this.lastFenceRead < 2000) return;
    this.lastFenceRead = Date.now();
    const reachable = this.nodes.filter((n) => n.reachable);
    // Bounded like a probe: a node that hangs now must not hold up the next probe round.
    const bound = this.probeTimeoutMs();
    const states = await Promise.all(
      reachable.map((n) => withQueryTimeout(bound, () => readFenceState(n.handle)).catch(() => null)),
    );
    const newest = newestFenceState([this.fence, ...states]);
    this.fence = newest;
  }

  /** Fresh sessions on these nodes (after their globals changed, e.g. by the setup wizard). */
  recycleSessions(names: string[]): void {
    for (const n of this.nodes) if (names.includes(n.handle.name)) n.handle.recycle();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.nodes.map((n) => n.handle.close()));
  }
}
