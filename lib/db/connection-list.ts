import 'server-only';
import type { Kysely } from 'kysely';
import type { SiphaConfig } from '@/lib/config/schema';
import { AppError, logError } from '@/lib/errors';
import { every } from '@/lib/every';
import { GaleraWriter } from '@/lib/galera/writer';
import {
  ER_READ_ONLY,
  errorCode,
  errorErrno,
  isBeforeSend,
  isConnectionError,
  NodeDownError,
} from './classify';
import { Prober } from './detector/prober';
import type { Verdict } from './detector/types';
import {
  emptyFenceState,
  type FenceState,
  newestFenceState,
  readFenceState,
  writeFenceState,
} from './fence-store';
import { AcquireError, createNodeHandle, withQueryTimeout, withSendGuard } from './node';
import { auditFailover, drainRelayLog, setReadOnly, stopSemiSyncWait } from './promote';
import {
  cutOffMessage,
  maybeLaterMessage,
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
  /** `run` is one transaction (or one statement): a Galera certification conflict undid all of it. */
  atomic?: boolean;
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
  private prober: Prober | null = null;
  /** Galera mode: stops the loop that samples every node's wsrep status on the probe interval. */
  private stopGalera: (() => void) | null = null;
  private probing = false;
  private probeAgain = false;
  /** Nodes being set read_only right now (fenced, and found writable). */
  private readonly fencing = new Set<string>();
  private lastFenceRead = 0;
  private readyPromise: Promise<void> | null = null;
  /** Galera mode: the writer is chosen by wsrep state, nothing is ever fenced. */
  readonly galera: GaleraWriter | null;

  constructor(
    config: Pick<SiphaConfig, 'nodes' | 'connection'> & Partial<Pick<SiphaConfig, 'galera'>>,
    readonly actor = 'console',
  ) {
    this.cfg = config.connection;
    this.galera = config.galera ? new GaleraWriter(config.galera) : null;
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
    this.readyPromise ??= this.startProber();
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
    if (this.galera) return this.galera.choose(this.nodes);
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
    /** The node an unsure write was sent to, when it hung rather than refused. */
    let sentToHung: string | null = null;
    let transient = 0;
    let conflicts = 0;
    for (let attempt = 0; attempt < this.nodes.length + 2 + conflicts; attempt++) {
      // Fence the node we move away from, and let the new one drain its relay log, first.
      await this.settle();
      const n =
        this.active() ?? (await this.galera?.waitForWriter(() => this.active(), this.cfg.queryTimeoutMs));
      if (!n) throw new AppError('unavailable:database', this.unavailableMessage());
      const name = n.handle.name;
      try {
        if (unknownOutcome && opts.verify) {
          const found = await this.onNode(n, (db) => opts.verify!(db, name), opts.timeoutMs);
          if (found !== undefined)
            return { value: found, node: name, verified: true, ...this.landedOn(name) };
          if (sentToHung && sentToHung !== name)
            throw new AppError('unknown_outcome:database', maybeLaterMessage(sentToHung, name));
        }
        const value = await withSendGuard(
          () => (this.roleOf(n) === 'fenced' || n.reachable === false ? new NodeDownError(name) : null),
          () => this.onNode(n, (db) => opts.run(db, name), opts.timeoutMs),
        );
        return isRead ? { value, node: name } : { value, node: name, ...this.landedOn(name) };
      } catch (err) {
        // Stopped before sending: the node was fenced or found down meanwhile. Nothing reached it.
        if (errorCode(err) === 'SIPHA_NODE_DOWN' && (this.isFenced(name) || n.reachable === false)) continue;
        const galera = this.galera?.verdict(name, err, opts, conflicts);
        if (galera === 'retry') conflicts++;
        if (galera) continue;
        const readOnlyRefusal = errorErrno(err) === ER_READ_ONLY;
        if (!isConnectionError(err) && !readOnlyRefusal) throw err;
        if (readOnlyRefusal) {
          await this.refreshFence(true);
          if (!this.isFenced(name)) throw err; // read_only for another reason: the caller's error
        } else {
          // A refused new connection is sure at once (nothing listens); a broken one is checked
          // with a fresh probe, and a timeout waits for the evidence.
          const refused = errorCode(err) === 'ECONNREFUSED';
          const v = n.reachable === false || refused ? null : await this.confirm(n);
          if (v?.state === 'up') {
            // One broken connection (a stale pooled socket, a killed thread) on a node that
            // answers a fresh probe is no reason to fence it: try the same node again, once.
            if (transient++ > 0)
              throw new AppError('failed:database', `The connection to ${name} keeps breaking.`, {
                cause: err,
              });
          } else if (v && v.state !== 'down') {
            const unsure = !isRead && !(err instanceof AcquireError) && !isBeforeSend(err);
            const msg = v.state === 'cut-off' ? cutOffMessage(name) : `${name} does not answer (${v.words}).`;
            throw new AppError(unsure ? 'unknown_outcome:database' : 'unavailable:database', msg, {
              cause: err,
            });
          } else {
            this.markDown(n, err, v?.words, v?.code === 'SIPHA_PROBE_TIMEOUT');
          }
        }
        if (!isRead && !(err instanceof AcquireError) && !isBeforeSend(err)) {
          // The statement may have committed before the connection broke.
          if (!opts.verify)
            throw new AppError('unknown_outcome:database', unknownOutcomeMessage(name), { cause: err });
          unknownOutcome = true;
          if (n.reachable === false && n.hung) sentToHung = name;
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
        if ((await this.confirm(n)).state === 'up')
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

  /** A fresh probe of a node a statement failed on, and the detector's verdict on it. */
  private confirm(n: NodeRuntime): Promise<Verdict> {
    const bound = this.probeTimeoutMs() + 3 * this.cfg.silenceMs;
    if (!this.prober)
      return Promise.resolve({ name: n.handle.name, state: 'suspect', words: 'not probed yet' });
    return this.prober.confirm(n.handle.name, bound);
  }

  private unavailableMessage(): string {
    return unavailableMessage(this.nodes, (name) => this.isFenced(name));
  }

  /** Marks a node unreachable; the next settle() fails over if writes must move down. */
  markDown(n: NodeRuntime, err: unknown, evidence?: string, hung = false): void {
    // Statements still waiting on a node now known gone would sit until their own timeout;
    // breaking them lets a write move on (and be verified) at once.
    if (recordDown(n, err)) {
      n.evidence = evidence ?? n.lastError;
      n.hung = hung;
      n.handle.setDown(true);
      n.handle.abortInFlight();
    }
  }

  /** Brings `writer` up to date with active(), failing over when it moves down the list. */
  private settle(): Promise<void> {
    const run = async () => {
      const next = this.active();
      const prev = this.writer;
      if (
        !this.galera &&
        prev &&
        next !== prev &&
        !this.isFenced(prev.handle.name) &&
        prev.reachable === false
      ) {
        const below = next && this.nodes.indexOf(next) > this.nodes.indexOf(prev);
        if (below) await this.failover(prev, next);
      }
      // While no node can take writes the last writer stays remembered: whichever node takes
      // writes next is compared with it.
      this.writer = this.active() ?? prev;
    };
    const p = this.failoverChain.then(run, run);
    // Never rejects: a failed step is logged and writes go on against the new node.
    this.failoverChain = p.catch((e) => logError('failover step failed', e));
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
      reason: `failover: ${from.evidence ?? from.lastError ?? 'unreachable'}`,
      changedAt: new Date(),
      changedBy: this.actor,
    });
    this.fence = state; // in memory first: no write may go to the old node from now on
    const evidence = from.evidence ?? from.lastError ?? 'unreachable';
    console.warn(
      `[sipha] failover: ${from.handle.name} is down (${evidence}); writing to ${next.handle.name}`,
    );
    await stopSemiSyncWait(next.handle).catch(() => undefined);
    await drainRelayLog(next.handle, 2).catch(() => undefined);
    await writeFenceState(next.handle, state).catch((e) => logError('could not persist fence state', e));
    await auditFailover(next.handle, { actor: this.actor, from: from.handle.name, evidence }).catch((e) =>
      logError('could not write the failover audit row', e),
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

  private async startProber(): Promise<void> {
    this.prober ??= new Prober(
      this.nodes.map((n) => n.handle.config),
      {
        intervalMs: this.cfg.probeIntervalMs,
        timeoutMs: this.probeTimeoutMs(),
        silenceMs: this.cfg.silenceMs,
      },
    );
    await this.prober.firstRound();
    this.applyVerdicts();
    await this.probeAll(true);
    // Verdicts apply at once (a node found down stops holding statements right away); the fence
    // state and any failover follow in probeAll, which may wait on a slow node.
    this.prober.onChange(() => {
      this.applyVerdicts();
      void this.probeAll(false);
    });
    if (this.galera && !this.stopGalera) {
      // The first writer is known before the first statement; then one round per probe interval.
      await this.sampleGalera(this.galera);
      const g = this.galera;
      this.stopGalera = every(this.cfg.probeIntervalMs, () => this.sampleGalera(g));
    }
  }

  /** Galera's writer choice follows wsrep state, which the reachability prober does not read. */
  private async sampleGalera(g: GaleraWriter): Promise<void> {
    await Promise.all(this.nodes.map((n) => g.sample(n.handle.config, this.probeTimeoutMs())));
    await this.probeAll(false);
  }

  /** The fence state, and any failover the detector's verdicts imply. */
  async probeAll(first: boolean): Promise<void> {
    if (this.probing) {
      this.probeAgain = true;
      return;
    }
    this.probing = true;
    try {
      do {
        this.probeAgain = false;
        await this.refreshFence(first);
        // At start the writer is the preferred node: starting while it is down is a failover
        // too, since the node below will take writes it misses.
        if (first) this.writer = this.nodes.find((n) => !this.isFenced(n.handle.name));
        await this.settle();
      } while (this.probeAgain && !first);
    } finally {
      this.probing = false;
    }
  }

  private applyVerdicts(): void {
    for (const v of this.prober?.verdicts.values() ?? []) this.applyVerdict(this.node(v.name), v);
  }

  private applyVerdict(n: NodeRuntime, v: Verdict): void {
    const o = this.prober?.snapshot?.nodes.find((x) => x.name === v.name);
    n.checkedAt = new Date();
    if (v.state === 'down') {
      const fresh = n.reachable !== false;
      const code = v.code ?? 'SIPHA_PROBE_TIMEOUT';
      this.markDown(n, { code, errno: v.errno }, v.words, code === 'SIPHA_PROBE_TIMEOUT');
      if (fresh) console.warn(`[sipha] ${n.handle.name} is down: ${v.words}`);
      return;
    }
    if (v.state === 'cut-off') {
      if (!n.cutOff) console.warn(`[sipha] ${n.handle.name}: ${v.words}`);
      n.cutOff = v.words;
      return;
    }
    if (v.state !== 'up' || !o?.ok) return; // suspect: keep what is known until evidence is in
    recordUp(n, { ok: true, ...o.ok });
    n.handle.setDown(false);
    // A fenced node that answers again must not take writes from SIP servers either.
    const name = n.handle.name;
    if (this.cfg.fenceReadOnly && this.isFenced(name) && o.ok.readOnly === false && !this.fencing.has(name)) {
      this.fencing.add(name);
      void withQueryTimeout(this.probeTimeoutMs(), () => setReadOnly(n.handle, true))
        .then(() => {
          n.readOnly = true;
        })
        .catch(() => undefined)
        .finally(() => this.fencing.delete(name));
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
    this.stopGalera?.();
    this.stopGalera = null;
    await this.prober?.close();
    this.prober = null;
    await Promise.all(this.nodes.map((n) => n.handle.close()));
  }
}
