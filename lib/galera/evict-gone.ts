import 'server-only';
import type { AuditEntry } from '@/lib/audit/log';
import type { NodeConfig } from '@/lib/config/schema';
import { logError } from '@/lib/errors';
import { type EvictionOutcome, evictMember } from './evict';
import { ProcessWatch } from './evict-watch';
import { type GaleraStatus, writable } from './status';

// When the console evicts a member whose process is gone (writer.ts samples, this decides).
// A member whose port refuses connections has no process any more (killed, crashed), but the
// others keep it in their view until evs.suspect_timeout runs out, and no commit completes
// meanwhile. Evicting its process id (evs.evict) installs the new view at once: the survivors
// commit again within milliseconds (./evict.ts: the next view's representative is told first).
// Only while the survivors are a majority of the last view, so this never makes a minority
// primary; a hung node (no refusal) is left to Galera's own timeouts. The restarted process has
// a new id and joins as usual.
// Only a member of the survivors' current view is evicted: seen answering as a Primary member
// moments ago, in a view of the size every survivor still reports. A node whose port refuses for
// another reason (not started yet, a joiner still receiving its SST, a stale record from before
// a full outage, a clean shutdown that already left the view, a node an operation stops: see
// PlannedStops) is left alone. The refusal is looked for as soon as anything suggests the
// process died: a statement's broken connection, the member's watch session
// (./evict-watch.ts), a probe round.

const GCOMM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A member last seen longer ago than this is not evicted on a refusal (its view may be gone). */
const MEMBER_FRESH_MS = 10_000;

/** A member of the primary component as last seen: its process's id and the view's size. */
interface Member {
  uuid: string;
  viewSize: number;
  /** When it last answered as a member (Date.now()). */
  seenAt: number;
}

/**
 * Nodes an operation is stopping on purpose (SHUTDOWN). The start of a stop forgets the node's
 * member record: its port refuses before it has left the view, and after the operation's wait
 * the survivors may still be reported in the old view for a round, so a record kept until then
 * would get it evicted. The record comes back when the node answers as a Primary member again.
 */
export class PlannedStops extends Set<string> {
  onStop: ((name: string) => void) | null = null;

  override add(name: string): this {
    this.onStop?.(name);
    return super.add(name);
  }
}

/** What the writer lends: each node's last status, the planned stops, the audit, a fresh look. */
export interface EvictionHost {
  status(name: string): GaleraStatus | null;
  readonly planned: PlannedStops;
  audit(entry: AuditEntry): Promise<void>;
  /** Samples the node again now. */
  recheck(name: string): void;
}

export class GoneMemberEvictions {
  private readonly members = new Map<string, Member>();
  private readonly watch: ProcessWatch;
  /** Member ids this console evicted (their processes were gone), and evictions under way. */
  private readonly evicted = new Set<string>();
  private evicting = 0;
  /** The last eviction, for measurement: when the refusal was seen and each survivor's part. */
  last: { node: string; refusedAt: number; survivors: EvictionOutcome['survivors'] } | null = null;

  constructor(private readonly host: EvictionHost) {
    this.watch = new ProcessWatch((name) => host.recheck(name));
    host.planned.onStop = (name) => this.members.delete(name);
  }

  /** A sample's answer: a Primary member is remembered, and watched (not while it is stopped). */
  seen(config: NodeConfig, s: GaleraStatus | null, timeoutMs: number): void {
    if (s?.clusterStatus !== 'Primary' || !s.gcommUuid || !GCOMM_UUID.test(s.gcommUuid)) return;
    if (this.host.planned.has(config.name)) return;
    this.members.set(config.name, { uuid: s.gcommUuid, viewSize: s.clusterSize, seenAt: Date.now() });
    this.watch.keep(config, timeoutMs);
  }

  /**
   * A sample found the node's port refusing: evicts it when every condition above holds (true
   * when the eviction started).
   */
  refused(name: string, nodes: Iterable<NodeConfig>, timeoutMs: number): boolean {
    const gone = this.members.get(name);
    if (!gone || this.host.planned.has(name)) return false;
    if (Date.now() - gone.seenAt > MEMBER_FRESH_MS) {
      this.members.delete(name);
      return false;
    }
    const survivors = [...nodes].filter((c) => c.name !== name && writable(this.host.status(c.name)));
    if (survivors.length * 2 <= gone.viewSize) return false;
    const sameView = survivors.every((c) => {
      const st = this.host.status(c.name);
      return st?.clusterStatus === 'Primary' && st.clusterSize === gone.viewSize;
    });
    if (!sameView) return false;
    this.members.delete(name);
    // Not awaited: the probe round goes on; the first statement follows within milliseconds.
    void this.evict(name, gone, survivors, timeoutMs).catch((e) => logError('galera eviction failed', e));
    return true;
  }

  private async evict(name: string, gone: Member, survivors: NodeConfig[], timeoutMs: number) {
    const refusedAt = Date.now();
    this.evicting++;
    this.evicted.add(gone.uuid);
    let outcome: EvictionOutcome;
    try {
      outcome = await evictMember({
        member: gone.uuid,
        viewSize: gone.viewSize,
        survivors: survivors.map((config) => ({ config, uuid: this.host.status(config.name)?.gcommUuid })),
        ours: this.evicted,
        // Another eviction under way still needs its entry on the lists.
        mayClear: () => this.evicting === 1,
        timeoutMs,
      });
    } finally {
      this.evicting--;
    }
    this.last = { node: name, refusedAt, survivors: outcome.survivors };
    const on = outcome.survivors.filter((s) => s.told || s.viewAt !== null).map((s) => s.name);
    if (on.length === 0) return;
    const told = outcome.survivors.filter((s) => s.told).map((s) => s.name);
    const cleared = outcome.survivors.filter((s) => s.cleared).map((s) => s.name);
    const detail = `${name} refuses connections (its process is gone): its member ${gone.uuid} evicted on ${on.join(', ')}, so they commit without waiting for the view-change timeout (told ${told.join(', ') || 'none'}${cleared.length ? `; evict list cleared again on ${cleared.join(', ')}` : ''})`;
    console.warn(`[sipha] galera: ${detail}`);
    await this.host.audit({
      actor: 'console',
      action: 'galera.evict',
      target: name,
      node: null,
      outcome: 'ok',
      detail,
    });
  }
}
