import 'server-only';
import type { AuditEntry } from '@/lib/audit/log';
import type { GaleraConfig, NodeConfig } from '@/lib/config/schema';
import { errorErrno, isConnectionError } from '@/lib/db/classify';
import { AppError } from '@/lib/errors';
import { chooseWriter } from './choose';
import { GoneMemberEvictions, PlannedStops } from './evict-gone';
import { probeWsrep } from './probe';
import { type GaleraStatus, notWritableReason, writable } from './status';

// The connection list's Galera mode (one hook in lib/db/connection-list.ts): which node takes
// writes, from each node's wsrep status sampled with every probe round; what a failed
// statement on a Galera node means. No fencing: a node that rejoins is brought up to date by
// IST/SST before it reports Synced, so it missed nothing once it is writable again.

/** A certification conflict: Galera rolled the whole transaction back. */
export const ER_LOCK_DEADLOCK = 1213;
/** "WSREP has not yet prepared node for application use": refused before it ran. */
export const ER_UNKNOWN_COM_ERROR = 1047;
/**
 * "Got error … during COMMIT": on a Galera node that lost the primary component while the
 * transaction committed ("Not connected to Primary Component"), its write-set could not be
 * replicated. Whether it was ordered before the node dropped out is not known here, so the
 * write is checked on the next writer rather than taken as failed or as done.
 */
export const ER_ERROR_DURING_COMMIT = 1180;

export interface GaleraNodeState {
  status: GaleraStatus | null;
  error: string | null;
  writableSince: number | null;
  checkedAt: Date | null;
  /** Since when the node has been in its wsrep_local_state_comment (epoch ms). */
  stateSince: number;
  /** The last state seen while it answered (Joining… when an SST died under it). */
  lastState: string | null;
}

/** move: nothing ran, go on; retry: rolled back, run again; unsure: verify on the next writer. */
export type GaleraVerdict = 'move' | 'retry' | 'unsure' | null;

export class GaleraWriter {
  readonly state = new Map<string, GaleraNodeState>();
  /** Nodes an operation is stopping on purpose (SHUTDOWN): never evicted while they leave. */
  readonly planned = new PlannedStops();
  current: string | undefined;
  readonly conflicts = { retried: 0, reported: 0 };

  constructor(readonly cfg: GaleraConfig) {}

  get(name: string): GaleraNodeState {
    let s = this.state.get(name);
    if (!s) {
      s = {
        status: null,
        error: null,
        writableSince: null,
        checkedAt: null,
        stateSince: Date.now(),
        lastState: null,
      };
      this.state.set(name, s);
    }
    return s;
  }

  private readonly configs = new Map<string, NodeConfig>();

  /**
   * Where the console's own Galera actions are audited: the console's audit log, imported when
   * used (it writes through the connection list that owns this writer). A process that drives
   * several labs (a benchmark) points it elsewhere.
   */
  audit: (entry: AuditEntry) => Promise<void> = (entry) =>
    import('@/lib/audit/log').then(({ audit }) => audit(entry));
  private readonly rechecking = new Set<string>();
  private readonly recheckAgain = new Set<string>();
  private probeTimeoutMs = 1000;
  /** Members whose process is gone, evicted from the survivors' view (./evict-gone.ts). */
  readonly evictions = new GoneMemberEvictions({
    status: (name) => this.get(name).status,
    planned: this.planned,
    audit: (entry) => this.audit(entry),
    recheck: (name) => void this.recheck(name),
  });

  async sample(config: NodeConfig, timeoutMs: number): Promise<void> {
    this.configs.set(config.name, config);
    this.probeTimeoutMs = timeoutMs;
    const r = await probeWsrep(config, timeoutMs);
    this.record(config.name, r.ok ? r.status : null, r.ok ? null : r.error);
    const s = r.ok ? r.status : null;
    this.evictions.seen(config, s, timeoutMs);
    if (!r.ok && r.error === 'connection refused')
      this.evictions.refused(config.name, this.configs.values(), timeoutMs);
  }

  /**
   * Samples a node now. A call while one runs makes it sample once more when done: the look
   * under way may have connected while the dying process still held its port (and then sees a
   * lost connection, not a refusal), while the later call comes from its sockets closing.
   */
  private async recheck(name: string): Promise<void> {
    const config = this.configs.get(name);
    if (!config) return;
    if (this.rechecking.has(name)) {
      this.recheckAgain.add(name);
      return;
    }
    this.rechecking.add(name);
    try {
      do {
        this.recheckAgain.delete(name);
        await this.sample(config, this.probeTimeoutMs);
      } while (this.recheckAgain.has(name));
    } finally {
      this.rechecking.delete(name);
    }
  }

  record(name: string, status: GaleraStatus | null, error: string | null): void {
    const s = this.get(name);
    const state = status?.localState ?? null;
    if (state !== (s.status?.localState ?? null)) s.stateSince = Date.now();
    if (state) s.lastState = state;
    s.status = status;
    s.error = error;
    s.checkedAt = new Date();
    if (!writable(status)) s.writableSince = null;
    else s.writableSince ??= Date.now();
  }

  /** A statement showed the node cannot take writes: stop choosing it before the next probe. */
  notWritable(name: string, error: string): void {
    const s = this.get(name);
    s.writableSince = null;
    if (s.status) s.status = { ...s.status, ready: false };
    s.error = error;
  }

  choose<T extends { handle: { name: string }; reachable: boolean | null }>(nodes: T[]): T | undefined {
    const candidates = nodes.map((n) => {
      const s = this.get(n.handle.name);
      const ok = n.reachable !== false && writable(s.status) && s.writableSince !== null;
      const st = s.status;
      const donor =
        n.reachable !== false &&
        st?.localState === 'Donor/Desynced' &&
        st.clusterStatus === 'Primary' &&
        st.ready;
      const standalone = n.reachable !== false && s.checkedAt !== null && !st && !s.error;
      return {
        name: n.handle.name,
        writable: ok,
        writableSince: ok ? s.writableSince : null,
        donor,
        standalone,
        wsrep: s.lastState !== null,
      };
    });
    const next = chooseWriter(candidates, this.current, this.cfg, Date.now());
    if (next !== this.current) {
      const from = this.current ? this.get(this.current) : null;
      const why = from && (from.error ?? notWritableReason(from.status) ?? 'failback');
      console.warn(
        `[sipha] galera: writes go to ${next ?? 'no node'}${from ? ` (from ${this.current}: ${why})` : ''}`,
      );
    }
    this.current = next;
    return nodes.find((n) => n.handle.name === next);
  }

  /**
   * No node is writable: during a view change (a member just died) every node answers slowly
   * for a second or two. A write waits for the new primary component as it would have waited
   * inside the server, up to the statement timeout, instead of failing at once.
   */
  async waitForWriter<T>(active: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      const n = active();
      if (n) return n;
    }
    return undefined;
  }

  /** Operator action (audited by the caller): send writes to this node now. */
  prefer(name: string): void {
    if (!writable(this.get(name).status))
      throw new AppError(
        'conflict:state',
        `${name} is not Synced in the primary component; it cannot take writes.`,
      );
    this.current = name;
  }

  /**
   * What a failed statement means here. 1047: refused, nothing ran, move to another node.
   * 1180 with "Primary Component": the node dropped out of the primary component as it
   * committed; the outcome is unknown, so the write is verified on the next writer.
   * 1213: a certification conflict rolled the transaction back; run it again when the caller
   * said its `run` is one transaction, up to `conflictRetries` times, else report it.
   */
  verdict(node: string, err: unknown, opts: { atomic?: boolean }, attempt: number): GaleraVerdict {
    // A broken connection may be a killed process: look now rather than at the next probe
    // round, so that its eviction (evictGone) starts at once.
    if (isConnectionError(err)) void this.recheck(node);
    const errno = errorErrno(err);
    if (errno === ER_UNKNOWN_COM_ERROR) {
      this.notWritable(node, 'refused writes (not ready)');
      return 'move';
    }
    const message = err instanceof Error ? err.message : '';
    if (errno === ER_ERROR_DURING_COMMIT && /primary component/i.test(message)) {
      this.notWritable(node, 'lost the primary component during a commit');
      return 'unsure';
    }
    if (errno !== ER_LOCK_DEADLOCK) return null;
    if (opts.atomic && attempt < this.cfg.conflictRetries) {
      this.conflicts.retried++;
      return 'retry';
    }
    this.conflicts.reported++;
    throw new AppError(
      'conflict:state',
      opts.atomic
        ? `The write conflicted with a concurrent change on another Galera node ${attempt + 1} times and was rolled back; try again.`
        : 'The write conflicted with a concurrent change on another Galera node and was rolled back; it was not retried because part of it may have been applied. Check and try again.',
      { cause: err },
    );
  }
}
