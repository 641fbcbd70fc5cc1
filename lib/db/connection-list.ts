import 'server-only';
import type { Kysely } from 'kysely';
import type { SiphaConfig } from '@/lib/config/schema';
import { GaleraWriter } from '@/lib/galera/writer';
import { dbOrder } from '@/lib/sip/dbcl-order';
import type { SipView } from './detector/prober';
import { flagUnverified, refreshFence, setFenced } from './failover';
import type { FenceState } from './fence-store';
import { ListCore, type Unverified } from './list-core';
import { createNodeHandle } from './node';
import { type NodeRunner, nodeRunner } from './node-runner';
import { startProber } from './probing';
import { route, type Served, type WriteOptions } from './routing';
import { type NodeRole, type NodeRuntime, newRuntime } from './runtime';
import type { DB } from './schema';
import { openSession, type Session, withSession } from './sessions';

export type { Unverified } from './list-core';
export type { NodeRunner, Stmt } from './node-runner';
export type { Served, WriteOptions } from './routing';
export type { NodeRole, NodeRuntime } from './runtime';
export type { Row, Session } from './sessions';

// The ordered list of database connections (DESIGN.md, "Rules the paper sets"), and the one way
// the console reaches a node:
// - read/write: the active node (first eligible: reachable and not fenced), failing over down
//   the list on connection-level failures only (routing.ts, failover.ts);
// - on(node): statements on one named node's pool, no failover (node-runner.ts);
// - session/openSession(node): a dedicated session for a lock, a snapshot or a repair
//   (sessions.ts); the same driver options (driver.ts) and timeout policy on all three.
// What each node is comes from the failure detector (probing.ts, ./detector/).

export interface SessionUse {
  /** Each statement's bound; null for none (a lease bounds the work). Default queryTimeoutMs. */
  statementTimeoutMs?: number | null;
  /** false: no default database. */
  database?: boolean;
}

export class ConnectionList {
  readonly nodes: NodeRuntime[];
  private readonly core: ListCore;
  private readyPromise: Promise<void> | null = null;

  constructor(
    config: Pick<SiphaConfig, 'nodes' | 'connection'> &
      Partial<Pick<SiphaConfig, 'galera' | 'sipServers' | 'dbCluster'>>,
    readonly actor = 'console',
  ) {
    const cfg = config.connection;
    this.nodes = config.nodes.map((n) =>
      newRuntime(
        createNodeHandle({
          config: n,
          connectTimeoutMs: cfg.connectTimeoutMs,
          queryTimeoutMs: cfg.queryTimeoutMs,
        }),
      ),
    );
    this.core = new ListCore(
      this.nodes,
      cfg,
      config.galera ? new GaleraWriter(config.galera) : null,
      actor,
      sipViews(config),
    );
  }

  /** Galera mode: the writer is chosen by wsrep state, nothing is ever fenced. */
  get galera(): GaleraWriter | null {
    return this.core.galera;
  }

  get fence(): FenceState {
    return this.core.fence;
  }

  /** First probe round and fence state; later calls return at once. */
  ready(): Promise<void> {
    this.readyPromise ??= startProber(this.core);
    return this.readyPromise;
  }

  isFenced(name: string): boolean {
    return this.core.isFenced(name);
  }

  roleOf(n: NodeRuntime): NodeRole {
    if (this.isFenced(n.handle.name)) return 'fenced';
    if (n.reachable === false) return 'down';
    return this.active()?.handle.name === n.handle.name ? 'active' : 'standby';
  }

  /** The first eligible node, or undefined when none is. */
  active(): NodeRuntime | undefined {
    return this.core.active();
  }

  node(name: string): NodeRuntime {
    return this.core.node(name);
  }

  async read<T>(run: (db: Kysely<DB>, node: string) => Promise<T>, timeoutMs?: number): Promise<Served<T>> {
    await this.ready();
    return route(this.core, { run, timeoutMs }, true);
  }

  async write<T>(opts: WriteOptions<T>): Promise<Served<T>> {
    await this.ready();
    return route(this.core, opts, false);
  }

  /** Statements on one named node, no failover: health, replication, restore and Galera work. */
  on(node: string | NodeRuntime): NodeRunner {
    return nodeRunner(this.core, typeof node === 'string' ? this.node(node) : node);
  }

  /** A dedicated session on a named node, held by the caller until it closes or destroys it. */
  openSession(name: string, use: SessionUse = {}): Promise<Session> {
    return openSession(this.node(name).handle.config, this.sessionOptions(use));
  }

  /** Runs `fn` on a dedicated session of a named node; the session always ends with it. */
  session<T>(name: string, fn: (s: Session) => Promise<T>, use: SessionUse = {}): Promise<T> {
    return withSession(this.node(name).handle.config, this.sessionOptions(use), fn);
  }

  private sessionOptions(use: SessionUse) {
    const { connectTimeoutMs, queryTimeoutMs } = this.core.cfg;
    return {
      connectTimeoutMs,
      statementTimeoutMs: use.statementTimeoutMs === undefined ? queryTimeoutMs : use.statementTimeoutMs,
      database: use.database,
    };
  }

  /** Operator action (audited by the caller): lets a fenced node take writes again. */
  async setFenced(name: string, fenced: boolean, reason: string, actor: string): Promise<string> {
    await this.ready();
    return setFenced(this.core, { name, fenced, reason, actor });
  }

  /** Pairs of nodes that may differ without a failover (a SIP server wrote to both), to verify. */
  needsVerification(): Unverified[] {
    return [...this.core.unverified.values()];
  }

  /** Marks a pair as needing verification (audited by the caller); false when it already was. */
  flagNeedsVerification(nodes: [string, string], reason: string): boolean {
    return flagUnverified(this.core, { nodes, reason });
  }

  /** Reads the shared fence state (all reachable nodes, highest epoch wins) every few seconds. */
  refreshFence(force: boolean): Promise<void> {
    return refreshFence(this.core, force);
  }

  /** Fresh pooled sessions on these nodes (after their globals changed, e.g. by the setup wizard). */
  recycleSessions(names: string[]): void {
    for (const n of this.nodes) if (names.includes(n.handle.name)) n.handle.recycle();
  }

  async close(): Promise<void> {
    this.core.stopGalera?.();
    this.core.stopGalera = null;
    await this.core.prober?.close();
    this.core.prober = null;
    await Promise.all(this.nodes.map((n) => n.handle.close()));
  }
}

/** The SIP servers the detector asks (db_cluster and a JSON-RPC address), in their own order. */
function sipViews(
  config: Partial<Pick<SiphaConfig, 'nodes' | 'sipServers' | 'dbCluster' | 'galera'>>,
): SipView[] {
  const c = config.dbCluster;
  const nodes = (config.nodes ?? []).map((n) => n.name);
  if (!c || config.galera) return [];
  return (config.sipServers ?? []).flatMap((s) =>
    s.rpcUrl
      ? [
          {
            name: s.name,
            url: s.rpcUrl,
            cluster: c.cluster,
            order: dbOrder({ policy: c.policy, nodes, own: s.node }),
          },
        ]
      : [],
  );
}
