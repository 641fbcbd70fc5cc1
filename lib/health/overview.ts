import 'server-only';
import { clusterNamed, clusters, connectionListOf } from '@/lib/clusters/registry';
import { getGaleraOverview } from '@/lib/galera/overview';
import { getMonitor } from './monitor';
import { registerSampler } from './register-sampler';
import { sipDbSnapshot } from './sip-db';
import { sipSnapshot } from './sip-sampler';
import { sipService } from './sip-words';
import type { NodeStatus, Overview } from './types';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * The live picture for the overview: the home cluster's at the top level, as with one cluster,
 * and with more than one every cluster's in `clusters` (issue 14). All from background probes,
 * so it never blocks.
 */
export async function getOverview(): Promise<Overview> {
  const all = await Promise.all(clusters().map((c) => getClusterOverview(c.name)));
  return all.length === 1 ? all[0]! : { ...all[0]!, clusters: all };
}

/** One cluster's nodes, SIP servers and replication, over its own connection list. */
export async function getClusterOverview(cluster: string): Promise<Overview> {
  const config = clusterNamed(cluster);
  const list = await connectionListOf(cluster);
  const nodes: NodeStatus[] = list.nodes.map((n) => {
    const fence = list.fence.nodes.get(n.handle.name);
    return {
      name: n.handle.name,
      cluster,
      host: n.handle.config.host,
      port: n.handle.config.port,
      role: list.roleOf(n),
      reachable: n.reachable,
      latencyMs: n.latencyMs,
      version: n.version,
      flavor: n.version ? (/mariadb/i.test(n.version) ? 'MariaDB' : 'MySQL') : null,
      readOnly: n.readOnly,
      downSince: iso(n.downSince),
      fencedSince: fence?.fenced ? iso(fence.changedAt) : null,
      // Reachable for its peers but not for the console: say so rather than "answers".
      lastError: n.cutOff ? `not reachable from the console; its peers still receive from it` : n.lastError,
      checkedAt: iso(n.checkedAt),
    };
  });
  const active = list.active()?.handle.name ?? null;
  const preferred = nodes[0]!;
  const failover =
    active === preferred.name
      ? null
      : {
          active,
          preferred: preferred.name,
          // While it is unreachable, "down" is the news; once back, it stays fenced until restored.
          reason: preferred.reachable === false ? ('down' as const) : ('fenced' as const),
          since:
            preferred.reachable === false
              ? (preferred.downSince ?? preferred.fencedSince)
              : preferred.fencedSince,
        };
  const monitor = await getMonitor(cluster);
  const sip = sipSnapshot(config.sipServers).map((s) => ({ ...s, cluster }));
  const dbs = sipDbSnapshot(list, config);
  const registers = registerSampler().snapshot();
  const services = sip.map((s, i) =>
    sipService({ sip: s, register: registers.get(s.name) ?? null, db: dbs[i]!, nodes }),
  );
  return {
    at: new Date().toISOString(),
    cluster,
    nodes,
    sip,
    active,
    failover,
    directions: monitor.directions(),
    services,
    verify: list.needsVerification().map((u) => ({ ...u, since: u.since.toISOString() })),
    galera: list.galera ? await getGaleraOverview() : undefined,
  };
}
