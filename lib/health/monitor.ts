import 'server-only';
import { clusterNamed, clusters, connectionListOf, homeCluster } from '@/lib/clusters/registry';
import type { ClusterConfig } from '@/lib/config/schema';
import type { ConnectionList } from '@/lib/db';
import { startAutoLower } from '@/lib/dns/auto-lower';
import { every } from '@/lib/every';
import { buildDirections, nodeReplication, type SampleView } from '@/lib/health/replication/directions';
import { ReplicationSampler } from '@/lib/health/replication/sampler';
import { countByServer } from '@/lib/registrations/counts';
import { kamailioStats } from '@/lib/sip/jsonrpc';
import { kamailioWords } from './kamailio-words';
import { Ring } from './ring';
import type { DirectionStatus, KamailioSummary, NodeReplication, RegistrationCount } from './types';

// The console's own background monitor: replication samples (per node, every second), lag and
// registration counts kept for an hour in memory rings for the charts, Kamailio RPC stats.
// One monitor per cluster, over that cluster's connection list and SIP servers (issue 14).
// Started once per process on first use; requests read its last results and never wait on a node.

const HOUR = 3600_000;
const COUNTS_EVERY_MS = 5000;
const RPC_EVERY_MS = 2000;

export class Monitor {
  readonly sampler: ReplicationSampler;
  readonly lag = new Map<string, Ring>();
  readonly registrations = new Map<string, Ring>();
  counts: { counts: RegistrationCount[]; checkedAt: string | null; error: string | null } = {
    counts: [],
    checkedAt: null,
    error: null,
  };
  readonly kamailio = new Map<string, KamailioSummary>();
  private stops: (() => void)[] = [];

  constructor(
    private readonly list: ConnectionList,
    readonly cluster: ClusterConfig,
  ) {
    this.sampler = new ReplicationSampler(list);
  }

  start(): void {
    this.sampler.start();
    this.stops = [
      every(1000, () => this.recordLag()),
      every(COUNTS_EVERY_MS, () => this.sampleCounts()),
      every(RPC_EVERY_MS, () => this.sampleRpc()),
    ];
  }

  stop(): void {
    this.sampler.stop();
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  private views(): Map<string, SampleView> {
    const now = Date.now();
    const out = new Map<string, SampleView>();
    for (const [name, s] of this.sampler.samples) {
      // The connection list's prober may notice a dead node before this sample goes stale.
      const reachable = this.list.nodes.find((n) => n.handle.name === name)?.reachable !== false;
      out.set(name, { ...s, answering: reachable && this.sampler.answering(name, now) });
    }
    return out;
  }

  directions(): DirectionStatus[] {
    const nodes = this.list.nodes.map((n) => ({
      name: n.handle.name,
      host: n.handle.config.host,
      port: n.handle.config.port,
    }));
    return buildDirections({ nodes, samples: this.views(), history: this.sampler.history });
  }

  nodes(): NodeReplication[] {
    const views = this.views();
    return this.list.nodes.map((n) => nodeReplication(n.handle.name, views.get(n.handle.name)));
  }

  private recordLag(): void {
    const now = Date.now();
    for (const d of this.directions()) {
      const key = `${d.from}→${d.to}`;
      if (!this.lag.has(key)) this.lag.set(key, new Ring(3600));
      this.lag.get(key)!.push(now, d.lagMs);
    }
  }

  private async sampleCounts(): Promise<void> {
    const names = new Map(this.cluster.sipServers.map((s) => [s.serverId, s.name]));
    try {
      const served = await this.list.read((db) => countByServer({ db, names }), 5000);
      const now = Date.now();
      this.counts = { counts: served.value, checkedAt: new Date(now).toISOString(), error: null };
      for (const c of served.value) {
        const key = c.server ?? `server_id ${c.serverId}`;
        if (!this.registrations.has(key)) this.registrations.set(key, new Ring(HOUR / COUNTS_EVERY_MS));
        this.registrations.get(key)!.push(now, c.active);
      }
    } catch {
      this.counts = { ...this.counts, error: 'could not count registrations (no database node answered)' };
    }
  }

  private async sampleRpc(): Promise<void> {
    await Promise.all(
      this.cluster.sipServers.map(async (s) => {
        if (!s.rpcUrl) {
          this.kamailio.set(s.name, {
            name: s.name,
            configured: false,
            lines: [],
            errors: [],
            checkedAt: null,
          });
          return;
        }
        const stats = await kamailioStats({ url: s.rpcUrl, timeoutMs: 1000 });
        this.kamailio.set(s.name, {
          name: s.name,
          configured: true,
          lines: kamailioWords(stats),
          errors: stats.errors,
          checkedAt: new Date().toISOString(),
        });
      }),
    );
  }
}

const g = globalThis as unknown as { __siphaMonitors?: Map<string, Promise<Monitor>> };

/** The monitor of `cluster` (the home cluster when none is named), started on first use. */
export function getMonitor(cluster: string = homeCluster()): Promise<Monitor> {
  const config = clusterNamed(cluster);
  g.__siphaMonitors ??= new Map();
  const monitors = g.__siphaMonitors;
  let p = monitors.get(cluster);
  if (!p) {
    p = connectionListOf(cluster).then((list) => {
      const m = new Monitor(list, config);
      m.start();
      // Once per process: DNS drains are not a cluster's business.
      if (cluster === homeCluster()) startAutoLower();
      return m;
    });
    monitors.set(cluster, p);
    p.catch(() => monitors.delete(cluster));
  }
  return p;
}

/** Every cluster's monitor, in configuration order (the home cluster first). */
export function getMonitors(): Promise<Monitor[]> {
  return Promise.all(clusters().map((c) => getMonitor(c.name)));
}

export const HISTORY_MS = HOUR;
