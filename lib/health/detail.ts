import 'server-only';
import { clusterNamed, clusters } from '@/lib/clusters/registry';
import { getMonitor, getMonitors, HISTORY_MS } from './monitor';
import { getClusterOverview } from './overview';
import type { Ring } from './ring';
import { downsample } from './ring';
import type { ClusterHealth, HealthDetail, HealthHistory, Series } from './types';

/**
 * The health page's JSON: all from background samples, so it answers at once even with a hung
 * node. The home cluster's at the top level; with more than one cluster, each in `clusters`.
 */
export async function getHealthDetail(): Promise<HealthDetail> {
  const all = await Promise.all(clusters().map((c) => getClusterHealth(c.name)));
  const { cluster: _home, ...home } = all[0]!;
  return { at: new Date().toISOString(), ...home, ...(all.length > 1 ? { clusters: all } : {}) };
}

async function getClusterHealth(cluster: string): Promise<ClusterHealth> {
  const [overview, monitor] = await Promise.all([getClusterOverview(cluster), getMonitor(cluster)]);
  return {
    cluster,
    overview,
    nodes: monitor.nodes(),
    directions: overview.directions ?? monitor.directions(),
    registrations: monitor.counts,
    kamailio: clusterNamed(cluster).sipServers.map(
      (s) =>
        monitor.kamailio.get(s.name) ?? {
          name: s.name,
          configured: !!s.rpcUrl,
          lines: [],
          errors: [],
          checkedAt: null,
        },
    ),
  };
}

/**
 * The last hour of lag per direction and registrations per server, thinned for a chart; with
 * more than one cluster each series is labelled with its cluster.
 */
export async function getHealthHistory({ points = 360 }: { points?: number } = {}): Promise<HealthHistory> {
  const monitors = await getMonitors();
  const since = Date.now() - HISTORY_MS;
  const multi = monitors.length > 1;
  const series = (pick: (m: (typeof monitors)[number]) => Map<string, Ring>): Series[] =>
    monitors.flatMap((m) =>
      [...pick(m)].map(([key, ring]) => ({
        key: multi ? `${m.cluster.name}/${key}` : key,
        label: multi ? `${m.cluster.name}: ${key}` : key,
        points: downsample(ring.points(since), points),
      })),
    );
  return {
    at: new Date().toISOString(),
    lag: series((m) => m.lag),
    registrations: series((m) => m.registrations),
  };
}
