import 'server-only';
import { getConfig } from '@/lib/config/load';
import type { ClusterConfig } from '@/lib/config/schema';
import { ConnectionList, getConnectionList } from '@/lib/db';
import { migrateToLatest } from '@/lib/db/migrate';
import { AppError, logError } from '@/lib/errors';

// The one way to reach a cluster's databases: one connection list per cluster. The first
// (home) cluster's list is the console's list of today, so a single-cluster configuration runs
// exactly as before; the others are created on first use and kept for the process's lifetime.

const g = globalThis as unknown as { __siphaClusterLists?: Map<string, Promise<ConnectionList>> };

export function clusters(): ClusterConfig[] {
  return getConfig().clusters;
}

export function homeCluster(): string {
  return clusters()[0]!.name;
}

export function clusterNamed(name: string): ClusterConfig {
  const c = clusters().find((x) => x.name === name);
  if (!c) throw new AppError('not_found:resource', `No cluster named ${name} in the configuration.`);
  return c;
}

/** The cluster a node or SIP server belongs to. */
export function clusterOfMember(name: string): string | undefined {
  return clusters().find(
    (c) => c.nodes.some((n) => n.name === name) || c.sipServers.some((s) => s.name === name),
  )?.name;
}

async function create(cluster: ClusterConfig): Promise<ConnectionList> {
  const { connection, dbCluster } = getConfig();
  // Its own SIP servers are the detector's witnesses for its nodes.
  const list = new ConnectionList({
    nodes: cluster.nodes,
    sipServers: cluster.sipServers,
    dbCluster,
    connection,
  });
  await list.ready();
  // Fence state and the console's bookkeeping live with each cluster's data.
  if (list.active())
    await list
      .write({ run: (db) => migrateToLatest(db as never) })
      .catch((err) => logError(`migration on cluster ${cluster.name} failed`, err));
  return list;
}

export function connectionListOf(name: string): Promise<ConnectionList> {
  const cluster = clusterNamed(name);
  if (name === homeCluster()) return getConnectionList();
  g.__siphaClusterLists ??= new Map();
  let p = g.__siphaClusterLists.get(name);
  if (!p) {
    p = create(cluster).catch((err) => {
      g.__siphaClusterLists?.delete(name);
      throw err;
    });
    g.__siphaClusterLists.set(name, p);
  }
  return p;
}

/** True when the cluster's writes have moved off its first node (a failover is in force). */
export function isFailedOver(list: ConnectionList): boolean {
  const first = list.nodes[0];
  return !first || list.isFenced(first.handle.name) || list.active() !== first;
}

/**
 * The cluster a page or API asked for (`?cluster=`, a body's `cluster`), the home cluster when
 * none was named; an unknown name is refused (404) before anything runs.
 */
export function chosenCluster(name?: string | null): string {
  if (name === undefined || name === null || name === '') return homeCluster();
  return clusterNamed(name).name;
}

/** The cluster a node belongs to, refused (404) when no cluster has it. */
export function clusterOfNode(node: string): string {
  const c = clusters().find((x) => x.nodes.some((n) => n.name === node));
  if (!c) throw new AppError('not_found:resource', `No node named ${node} in the configuration.`);
  return c.name;
}

/**
 * An audit target that names its cluster when more than one is configured (with one, the text
 * as it always was). No cluster given: the home cluster.
 */
export function inCluster(text: string, cluster?: string): string {
  return clusters().length === 1 ? text : `${text} in cluster ${cluster ?? homeCluster()}`;
}

/** The cluster whose list holds `node`; refused (404) for an unknown node or another cluster. */
export function nodeCluster({ node, cluster }: { node: string; cluster?: string }): string {
  const own = clusterOfNode(node);
  if (cluster !== undefined && cluster !== own)
    throw new AppError('not_found:resource', `No node named ${node} in cluster ${cluster}.`);
  return own;
}

/** An audit target for a node: with more than one cluster it names the node's cluster too. */
export function nodeTarget(node: string, rest = ''): string {
  return inCluster(`${node}${rest}`, clusterOfMember(node) ?? 'unknown');
}
