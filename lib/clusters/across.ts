import 'server-only';
import { connectionListOf } from './registry';
import { ClusterDeadlineError, type ClusterUnavailable, unavailableReason } from './unavailable-words';

// A read that spans clusters (registrations, user search) keeps what the clusters that answered
// returned: one cluster whose databases are all down must not blank the page for the others.

export interface Across<T> {
  answered: { cluster: string; value: T }[];
  unavailable: ClusterUnavailable[];
}

/**
 * How long a page waits for one cluster. A hung node makes a statement wait for its own timeout
 * and the list confirm the node down before it gives up; the others' rows should not wait longer.
 */
export const CLUSTER_DEADLINE_MS = 5000;

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClusterDeadlineError(ms)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

async function nodeStates(cluster: string) {
  try {
    const list = await withDeadline(connectionListOf(cluster), 100);
    return list.nodes.map((n) => ({
      name: n.handle.name,
      down: n.reachable === false,
      fenced: list.isFenced(n.handle.name),
    }));
  } catch {
    return undefined;
  }
}

/** Runs `read` on every cluster named, at once; each one that fails is set aside with its reason. */
export async function acrossClusters<T>({
  clusters,
  read,
  deadlineMs = CLUSTER_DEADLINE_MS,
}: {
  clusters: string[];
  read: (cluster: string) => Promise<T>;
  deadlineMs?: number;
}): Promise<Across<T>> {
  const settled = await Promise.allSettled(clusters.map((c) => withDeadline(read(c), deadlineMs)));
  const out: Across<T> = { answered: [], unavailable: [] };
  for (const [i, s] of settled.entries()) {
    const cluster = clusters[i]!;
    if (s.status === 'fulfilled') out.answered.push({ cluster, value: s.value });
    else
      out.unavailable.push({
        cluster,
        reason: unavailableReason({ cluster, error: s.reason, nodes: await nodeStates(cluster) }),
      });
  }
  return out;
}
