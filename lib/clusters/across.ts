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

/** How long the reason may spend asking a fenced node whether it still answers. */
const FENCED_CHECK_MS = 1000;

/**
 * What the cluster's list knows of each node, after a read found none to serve it. A fenced node
 * is skipped by reads, so what the list last saw of it may be old (fenced by another console
 * while it still answered, then killed): it is asked afresh before the page says it answers.
 */
async function nodeStates(cluster: string) {
  try {
    const list = await withDeadline(connectionListOf(cluster), 100);
    return await Promise.all(
      list.nodes.map(async (n) => {
        const name = n.handle.name;
        const fenced = list.isFenced(name);
        let down = n.reachable === false;
        if (fenced && !down)
          // A hung node is not waited for past the bound: it does not answer either.
          down = await withDeadline(list.on(name).rows('SELECT 1', FENCED_CHECK_MS), FENCED_CHECK_MS).then(
            () => false,
            () => true,
          );
        return { name, down, fenced };
      }),
    );
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
