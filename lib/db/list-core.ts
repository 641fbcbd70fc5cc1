import 'server-only';
import type { SiphaConfig } from '@/lib/config/schema';
import { AppError } from '@/lib/errors';
import type { GaleraWriter } from '@/lib/galera/writer';
import type { Prober, SipView } from './detector/prober';
import type { Verdict } from './detector/types';
import { emptyFenceState, type FenceState } from './fence-store';
import { type NodeRuntime, recordDown, unavailableMessage } from './runtime';

/** A pair of nodes that must be verified (compared, repaired) before they are trusted equal. */
export interface Unverified {
  nodes: [string, string];
  reason: string;
  since: Date;
}

// The state the parts of the connection list share (routing.ts, failover.ts, probing.ts,
// node-runner.ts), and the questions every part asks of it. Only the parts touch it; everything
// else goes through the façade, ConnectionList.

export class ListCore {
  fence: FenceState = emptyFenceState();
  failoverChain: Promise<unknown> = Promise.resolve();
  /**
   * The node writes went to last. Failover is this moving *down* the list: only then did a
   * lower node take writes the higher one misses, so only then is the higher one fenced. A node
   * that goes down while no other can take writes is not fenced: it missed nothing.
   */
  writer: NodeRuntime | undefined;
  prober: Prober | null = null;
  /** Galera mode: stops the loop that samples every node's wsrep status on the probe interval. */
  stopGalera: (() => void) | null = null;
  probing = false;
  probeAgain = false;
  /** Nodes being set read_only right now (fenced, and found writable). */
  readonly fencing = new Set<string>();
  lastFenceRead = 0;
  /**
   * Pairs of nodes that may hold different data although no failover happened: a SIP server
   * wrote to both (a two-writer window its db_cluster opened). Keyed by the sorted pair; until
   * a restore of either node verifies them again.
   */
  readonly unverified = new Map<string, Unverified>();

  constructor(
    readonly nodes: NodeRuntime[],
    readonly cfg: SiphaConfig['connection'],
    /** Galera mode: the writer is chosen by wsrep state, nothing is ever fenced. */
    readonly galera: GaleraWriter | null,
    readonly actor: string,
    /** The SIP servers whose db_cluster lists the detector reads as evidence (may be empty). */
    readonly sipViews: SipView[] = [],
  ) {}

  isFenced(name: string): boolean {
    return this.fence.nodes.get(name)?.fenced === true;
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

  unavailableMessage(): string {
    return unavailableMessage(this.nodes, (name) => this.isFenced(name));
  }

  probeTimeoutMs(): number {
    return Math.min(this.cfg.connectTimeoutMs, 800);
  }

  /** A fresh probe of a node a statement failed on, and the detector's verdict on it. */
  confirm(n: NodeRuntime): Promise<Verdict> {
    const bound = this.probeTimeoutMs() + 3 * this.cfg.silenceMs;
    if (!this.prober)
      return Promise.resolve({ name: n.handle.name, state: 'suspect', words: 'not probed yet' });
    return this.prober.confirm(n.handle.name, bound);
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
}
