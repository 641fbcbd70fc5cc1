// Which node takes writes in a Galera cluster (pure, unit-tested): one writer at a time, the
// first of the list that is writable; a node higher in the list takes writes back only when
// the failback policy allows, and only after it has been writable for a while (no flapping).

export type Failback = 'auto' | 'manual';

export interface Candidate {
  name: string;
  writable: boolean;
  /**
   * Donor/Desynced in the primary component and ready: it takes writes (mariabackup SST does
   * not block it), used only when no node is Synced, e.g. the one node of a recovering cluster
   * while it sends the others their SST.
   */
  donor?: boolean;
  /** Answers SQL with wsrep off: a plain server, e.g. the node a new cluster is bootstrapped from. */
  standalone?: boolean;
  /** Reports a Galera state now, or did at some point since the console started. */
  wsrep?: boolean;
  /** Epoch ms since when the node has been writable without a break; null when it is not. */
  writableSince: number | null;
}

export interface FailbackPolicy {
  failback: Failback;
  failbackAfterMs: number;
}

export function chooseWriter(
  nodes: Candidate[],
  current: string | undefined,
  policy: FailbackPolicy,
  now: number,
): string | undefined {
  const first = nodes.find((n) => n.writable);
  const cur = nodes.find((n) => n.name === current && n.writable);
  // Before any cluster exists (no node ever reported a Galera state), the console keeps its own
  // tables on the first plain server until an operator bootstraps the cluster from it.
  if (!first)
    return (
      nodes.find((n) => n.donor)?.name ??
      (nodes.some((n) => n.wsrep) ? undefined : nodes.find((n) => n.standalone)?.name)
    );
  if (!cur) return first.name;
  if (policy.failback === 'manual') return cur.name;
  const higher = nodes
    .slice(0, nodes.indexOf(cur))
    .find((n) => n.writable && n.writableSince !== null && now - n.writableSince >= policy.failbackAfterMs);
  return higher?.name ?? cur.name;
}
