import 'server-only';
import { clusters, connectionListOf, homeCluster } from '@/lib/clusters/registry';
import type { ConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { currentTable, movingUsers } from './map';
import { aorKey, place } from './placement';

// Which cluster's connection list a user's rows go to: the shard map's answer, the same the
// first stage gives. With one cluster there is no map to read.

export interface Owner {
  cluster: string;
  list: ConnectionList;
  /** Set when more than one cluster is configured, so messages can name it. */
  named?: string;
}

export async function clusterFor(user: { username: string; domain: string }): Promise<string> {
  if (clusters().length === 1) return homeCluster();
  return place(await currentTable(), user);
}

export async function ownerOf(user: { username: string; domain: string }): Promise<Owner> {
  const cluster = await clusterFor(user);
  const multi = clusters().length > 1;
  return { cluster, list: await connectionListOf(cluster), named: multi ? cluster : undefined };
}

/** For writes: refuses a user who is in the middle of a move (its rows are being copied). */
export async function ownerForWrite(user: { username: string; domain: string }): Promise<Owner> {
  if (clusters().length > 1 && (await movingUsers()).has(aorKey(user)))
    throw new AppError(
      'conflict:state',
      `${user.username}@${user.domain} is being moved to another cluster; try again when the move has finished.`,
    );
  return ownerOf(user);
}

/** Rows grouped by owning cluster, in the order the clusters are configured. */
export async function groupByOwner<T extends { username: string; domain: string }>(
  rows: T[],
): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const c = await clusterFor(r);
    (out.get(c) ?? out.set(c, []).get(c)!).push(r);
  }
  return out;
}
