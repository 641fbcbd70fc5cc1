import 'server-only';
import { audit } from '@/lib/audit/log';
import type { SiphaConfig, SipServerConfig } from '@/lib/config/schema';
import type { ConnectionList } from '@/lib/db';
import {
  type DbConnection,
  disableDbConnection,
  enableDbConnection,
  listDbConnections,
} from '@/lib/sip/dbcl';
import { CONSOLE_DISABLED_ABOVE_S, dbOrder } from '@/lib/sip/dbcl-order';
import type { SipDbStatus } from './types';

// Every second: read each SIP server's db_cluster list over JSON-RPC and keep it in step with
// the console's fencing. A fenced node is disabled on every SIP server (so no SIP server writes
// to a node that missed writes); once restored (no longer fenced) and answering, it is enabled
// again. Both are audited. Pages read the last snapshot and never wait on a SIP server.

/** How long a fenced node stays disabled: until the console enables it after a restore. */
export const FENCE_SECONDS = 10 * 365 * 86400;
/** After a failed disable or enable, wait this long before trying (and auditing) again. */
const RETRY_MS = 10_000;

export class SipDbSync {
  private results = new Map<string, SipDbStatus>();
  private lastFailure = new Map<string, number>();
  /** Per SIP server, the node of a two-writer window already flagged and audited. */
  private windows = new Map<string, string>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly list: ConnectionList,
    private readonly cfg: Pick<SiphaConfig, 'nodes' | 'sipServers' | 'dbCluster'>,
  ) {}

  start(): this {
    void this.round();
    this.timer = setInterval(() => void this.round(), 1000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  snapshot(): SipDbStatus[] {
    return this.cfg.sipServers.map((s) => this.results.get(s.name) ?? this.blank(s));
  }

  async round(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await Promise.all(this.cfg.sipServers.map(async (s) => this.results.set(s.name, await this.sync(s))));
    } finally {
      this.running = false;
    }
  }

  private blank(s: SipServerConfig): SipDbStatus {
    const c = this.cfg.dbCluster;
    const nodes = this.cfg.nodes.map((n) => n.name);
    return {
      server: s.name,
      policy: c?.policy ?? 'single-url',
      order: c ? dbOrder({ policy: c.policy, nodes, own: s.node }) : [s.node],
      using: c ? null : s.node,
      inactive: [],
      twoWriters: null,
      error: null,
      fix: null,
      checkedAt: null,
    };
  }

  private async sync(s: SipServerConfig): Promise<SipDbStatus> {
    const status = this.blank(s);
    const cluster = this.cfg.dbCluster?.cluster;
    if (!cluster || !s.rpcUrl) return status;
    const url = s.rpcUrl;
    let conns: DbConnection[];
    try {
      conns = await listDbConnections({ url, cluster, timeoutMs: 1000 });
    } catch (e) {
      return {
        ...status,
        error: `Cannot read ${s.name}'s database list over JSON-RPC: ${(e as Error).message}.`,
        fix: `Check that ${s.name} is running with db_cluster loaded and its JSON-RPC answers at the configured rpcUrl.`,
        checkedAt: new Date().toISOString(),
      };
    }
    for (const c of conns) {
      const fenced = this.list.isFenced(c.node);
      const answering = this.list.nodes.find((n) => n.handle.name === c.node)?.reachable !== false;
      // A fenced node db_cluster itself marked inactive comes back after inactive_interval:
      // disable it for good too ("re-disabled").
      if (fenced && (c.state === 'active' || c.secondsLeft <= CONSOLE_DISABLED_ABOVE_S)) {
        if (
          await this.act(s, c.node, 'disable', () =>
            disableDbConnection({ url, cluster, node: c.node, seconds: FENCE_SECONDS }),
          )
        ) {
          c.state = 'disabled';
          c.secondsLeft = FENCE_SECONDS;
        }
      } else if (!fenced && answering && c.state === 'disabled' && c.secondsLeft > CONSOLE_DISABLED_ABOVE_S) {
        if (await this.act(s, c.node, 'enable', () => enableDbConnection({ url, cluster, node: c.node }))) {
          c.state = 'active';
          c.secondsLeft = 0;
        }
      }
    }
    const byNode = new Map(conns.map((c) => [c.node, c]));
    const using = status.order.find((n) => byNode.get(n)?.state === 'active') ?? null;
    const inactive = status.order
      .map((n) => byNode.get(n))
      .filter((c): c is DbConnection => c?.state === 'disabled')
      .map((c) => ({
        node: c.node,
        secondsLeft: c.secondsLeft,
        byConsole: c.secondsLeft > CONSOLE_DISABLED_ABOVE_S,
      }));
    const stale = using && this.list.isFenced(using);
    const other = stale ? null : await this.twoWriters(s, status.order, using);
    return {
      ...status,
      using,
      inactive,
      twoWriters: other,
      error: stale
        ? `${s.name} still writes to ${using}, which is fenced: it missed writes and must not take any.`
        : other
          ? `${s.name} writes to ${using} while ${other} is up and not fenced: its db_cluster left ${other} on its own (a slow or failed query), so ${other} and ${using} both take writes for its phones while ${other}'s earlier writes still replicate. The two may now differ.`
          : null,
      fix: stale
        ? `Take ${using} out of ${s.name}'s list: kamcmd dbcl.disable_connection ${cluster} ${using} ${FENCE_SECONDS} (the console retries this every ${RETRY_MS / 1000} s; it fails while ${using} is the only node ${s.name} can use), or restore ${using}.`
        : other
          ? `Compare and repair ${other} and ${using} (on Restore: a planned switchover and the restore after it) once ${s.name} is back on ${other} (kamcmd dbcl.enable_connection ${cluster} ${other}, or after db_cluster's inactive interval); to avoid the window, raise db_mysql's timeout_interval on ${s.name} so that a slow query does not fail over to the next node.`
          : null,
      checkedAt: new Date().toISOString(),
    };
  }

  /**
   * The node a SIP server should write to: the first of its own order the console holds
   * eligible (under single-writer, the console's active node). Writing to another one opens a
   * two-writer window the console did not decide: the pair is flagged "needs verification" and
   * audited once per window. Returns the node it should be writing to, or null.
   */
  private async twoWriters(
    s: SipServerConfig,
    order: string[],
    using: string | null,
  ): Promise<string | null> {
    // Galera certifies every commit on all nodes: a SIP server on another node is no second writer.
    if (this.list.galera) return null;
    const expected = order.find((n) => !this.list.isFenced(n) && this.list.node(n).reachable !== false);
    const key = s.name;
    if (!using || !expected || using === expected) {
      this.windows.delete(key);
      return null;
    }
    if (this.windows.get(key) !== using) {
      this.windows.set(key, using);
      const detail = `${s.name} writes to ${using} while ${expected} is up and not fenced (db_cluster left ${expected}): ${expected} and ${using} need verification`;
      this.list.flagNeedsVerification([expected, using], detail);
      await audit({
        actor: 'console',
        action: 'sip.db.two-writers',
        target: `${s.name}:${using}`,
        node: null,
        outcome: 'ok',
        detail,
      });
    }
    return expected;
  }

  /** One disable or enable, audited; after a failure it waits RETRY_MS before trying again. */
  private async act(s: SipServerConfig, node: string, what: 'disable' | 'enable', run: () => Promise<void>) {
    const key = `${s.name}/${node}/${what}`;
    if (Date.now() - (this.lastFailure.get(key) ?? 0) < RETRY_MS) return false;
    const entry = { actor: 'console', action: `sip.db.${what}`, target: `${s.name}:${node}`, node: null };
    const why =
      what === 'disable'
        ? `${node} is fenced: ${s.name} must not write to it`
        : `${node} is restored: ${s.name} may use it again`;
    try {
      await run();
      this.lastFailure.delete(key);
      await audit({ ...entry, outcome: 'ok', detail: why });
      return true;
    } catch (e) {
      this.lastFailure.set(key, Date.now());
      await audit({ ...entry, outcome: 'failed', detail: `${why}; ${(e as Error).message}` });
      return false;
    }
  }
}

const g = globalThis as unknown as { __siphaSipDb?: SipDbSync };

export function sipDbSnapshot(list: ConnectionList, cfg: SiphaConfig): SipDbStatus[] {
  g.__siphaSipDb ??= new SipDbSync(list, cfg).start();
  return g.__siphaSipDb.snapshot();
}
