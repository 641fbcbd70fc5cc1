import 'server-only';
import type { AuditEntry } from '@/lib/audit/log';
import type { GaleraConfig, NodeConfig } from '@/lib/config/schema';
import { errorErrno, isConnectionError } from '@/lib/db/classify';
import { withSession } from '@/lib/db/sessions';
import { AppError } from '@/lib/errors';
import { chooseWriter } from './choose';
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

export type GaleraVerdict = 'move' | 'retry' | null;

const GCOMM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A member of the primary component as last seen: its process's id and the view's size. */
interface Member {
  uuid: string;
  viewSize: number;
  /** When it last answered as a member (Date.now()). */
  seenAt: number;
}

/** A member last seen longer ago than this is not evicted on a refusal (its view may be gone). */
const MEMBER_FRESH_MS = 10_000;

export class GaleraWriter {
  readonly state = new Map<string, GaleraNodeState>();
  /** Nodes an operation is stopping on purpose (SHUTDOWN): never evicted while they leave. */
  readonly planned = new Set<string>();
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
  private readonly members = new Map<string, Member>();

  /**
   * Where the console's own Galera actions are audited: the console's audit log, imported when
   * used (it writes through the connection list that owns this writer). A process that drives
   * several labs (a benchmark) points it elsewhere.
   */
  audit: (entry: AuditEntry) => Promise<void> = (entry) =>
    import('@/lib/audit/log').then(({ audit }) => audit(entry));
  private readonly rechecking = new Set<string>();
  private probeTimeoutMs = 1000;

  async sample(config: NodeConfig, timeoutMs: number): Promise<void> {
    this.configs.set(config.name, config);
    this.probeTimeoutMs = timeoutMs;
    const r = await probeWsrep(config, timeoutMs);
    this.record(config.name, r.ok ? r.status : null, r.ok ? null : r.error);
    const s = r.ok ? r.status : null;
    if (s?.clusterStatus === 'Primary' && s.gcommUuid && GCOMM_UUID.test(s.gcommUuid))
      this.members.set(config.name, { uuid: s.gcommUuid, viewSize: s.clusterSize, seenAt: Date.now() });
    if (!r.ok && r.error === 'connection refused') await this.evictGone(config.name, timeoutMs);
  }

  private async recheck(name: string): Promise<void> {
    const config = this.configs.get(name);
    if (!config || this.rechecking.has(name)) return;
    this.rechecking.add(name);
    try {
      await this.sample(config, this.probeTimeoutMs);
    } finally {
      this.rechecking.delete(name);
    }
  }

  /**
   * A member whose port refuses connections has no process any more (killed, crashed), but the
   * others keep it in their view until evs.suspect_timeout runs out, and no commit completes
   * meanwhile. Evicting its process id (evs.evict) on the others installs the new view at once:
   * the survivors commit again within milliseconds. Only while the survivors are a majority of
   * the last view, so this never makes a minority primary; a hung node (no refusal) is left to
   * Galera's own timeouts. The restarted process has a new id and joins as usual.
   * Only a member of the survivors' current view is evicted: seen answering as a Primary member
   * moments ago, in a view of the size every survivor still reports. A node whose port refuses
   * for another reason (not started yet, a joiner still receiving its SST, a stale record from
   * before a full outage, a clean shutdown that already left the view) is left alone.
   */
  private async evictGone(name: string, timeoutMs: number): Promise<void> {
    const gone = this.members.get(name);
    if (!gone || this.planned.has(name)) return;
    if (Date.now() - gone.seenAt > MEMBER_FRESH_MS) {
      this.members.delete(name);
      return;
    }
    const survivors = [...this.configs.values()].filter(
      (c) => c.name !== name && writable(this.get(c.name).status),
    );
    if (survivors.length * 2 <= gone.viewSize) return;
    const sameView = survivors.every((c) => {
      const st = this.get(c.name).status;
      return st?.clusterStatus === 'Primary' && st.clusterSize === gone.viewSize;
    });
    if (!sameView) return;
    this.members.delete(name);
    const done = await Promise.all(
      survivors.map((c) =>
        withSession(c, { connectTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs, database: false }, (s) =>
          s.rows(`SET GLOBAL wsrep_provider_options = 'evs.evict=${gone.uuid}'`),
        ).then(
          () => c.name,
          () => null,
        ),
      ),
    );
    const on = done.filter((n) => n !== null);
    if (on.length === 0) return;
    const detail = `${name} refuses connections (its process is gone): its member ${gone.uuid} evicted on ${on.join(', ')}, so they commit without waiting for the view-change timeout`;
    console.warn(`[sipha] galera: ${detail}`);
    // Not awaited: the next probe round must not wait for the audit row.
    void this.audit({
      actor: 'console',
      action: 'galera.evict',
      target: name,
      node: null,
      outcome: 'ok',
      detail,
    });
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
