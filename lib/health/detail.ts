import 'server-only';
import { getConfig } from '@/lib/config/load';
import { getMonitor, HISTORY_MS } from './monitor';
import { getOverview } from './overview';
import type { Ring } from './ring';
import { downsample } from './ring';
import type { HealthDetail, HealthHistory } from './types';

/** The health page's JSON: all from background samples, so it answers at once even with a hung node. */
export async function getHealthDetail(): Promise<HealthDetail> {
  const [overview, monitor] = await Promise.all([getOverview(), getMonitor()]);
  return {
    at: new Date().toISOString(),
    overview,
    nodes: monitor.nodes(),
    directions: overview.directions ?? monitor.directions(),
    registrations: monitor.counts,
    kamailio: getConfig().sipServers.map(
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

/** The last hour of lag per direction and registrations per server, thinned for a chart. */
export async function getHealthHistory({ points = 360 }: { points?: number } = {}): Promise<HealthHistory> {
  const monitor = await getMonitor();
  const since = Date.now() - HISTORY_MS;
  const series = (rings: Map<string, Ring>) =>
    [...rings].map(([key, ring]) => ({ key, label: key, points: downsample(ring.points(since), points) }));
  return {
    at: new Date().toISOString(),
    lag: series(monitor.lag),
    registrations: series(monitor.registrations),
  };
}
