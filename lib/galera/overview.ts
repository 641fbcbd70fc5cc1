import 'server-only';
import { getConfig } from '@/lib/config/load';
import { type GaleraFailover, galeraFailover } from './failover-words';
import { type GaleraNodeHealth, getGaleraHealth } from './health';

// The overview's and the failover banner's view of a Galera cluster: one synchronous group,
// its writer, and why writes are not on the first node, in Galera's words.

export interface GaleraOverview {
  writer: string | null;
  nodes: GaleraNodeHealth[];
  /** Members of the primary component as its nodes report it, and how many are configured. */
  primarySize: number;
  configured: number;
  failover: GaleraFailover | null;
}

export async function getGaleraOverview(): Promise<GaleraOverview | null> {
  const h = await getGaleraHealth();
  if (!h.enabled) return null;
  const g = getConfig().galera!;
  const first = h.nodes[0]!;
  const sizes = h.nodes.flatMap((n) => (n.status?.clusterStatus === 'Primary' ? [n.status.clusterSize] : []));
  return {
    writer: h.writer,
    nodes: h.nodes,
    primarySize: sizes.length ? Math.max(...sizes) : 0,
    configured: h.nodes.length,
    failover: galeraFailover({
      writer: h.writer,
      preferred: {
        name: first.name,
        status: first.status,
        error: first.reachable === false ? (first.error ?? 'unreachable') : first.error,
      },
      failback: g.failback,
      failbackAfterMs: g.failbackAfterMs,
    }),
  };
}
