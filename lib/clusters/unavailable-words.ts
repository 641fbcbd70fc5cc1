import { isConnectionError } from '@/lib/db/classify';
import { AppError, publicError } from '@/lib/errors';

// Why a cluster's part of a page spanning clusters is missing, in words an operator can act on
// at 3 a.m.: never SQL, a stack or a secret (publicError's words, logged when unexpected).

/** One cluster that did not answer a read spanning clusters; shared with client components. */
export interface ClusterUnavailable {
  cluster: string;
  reason: string;
}

/** A cluster's read that took longer than the page may wait for it. */
export class ClusterDeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'ClusterDeadlineError';
  }
}

/** What the connection list knows of a node after the read failed. */
export interface NodeState {
  name: string;
  down: boolean;
  fenced: boolean;
}

const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function unavailableReason({
  cluster,
  error,
  nodes,
}: {
  cluster: string;
  error: unknown;
  nodes?: NodeState[];
}): string {
  if (error instanceof ClusterDeadlineError)
    return `no database node of ${cluster} answered within ${secs(error.ms)}`;
  const unreachable =
    (error instanceof AppError &&
      (error.code === 'unavailable:database' || error.code === 'unknown_outcome:database')) ||
    (!(error instanceof AppError) && isConnectionError(error));
  if (!unreachable) return publicError(error).message;
  const down = (nodes ?? []).filter((n) => n.down).map((n) => n.name);
  const fenced = (nodes ?? []).filter((n) => n.fenced && !n.down).map((n) => n.name);
  // Nodes that answer but are fenced (stale until restored) are not "not answering".
  if (fenced.length && down.length + fenced.length === nodes?.length)
    return `every database node of ${cluster} is down or fenced (down: ${down.join(', ') || 'none'}; fenced: ${fenced.join(', ')})`;
  return `no database node of ${cluster} answers`;
}

/** The banner line for one cluster: "c2: registrations unavailable — no database node of c2 answers". */
export function unavailableLine(what: string, u: ClusterUnavailable): string {
  return `${u.cluster}: ${what} unavailable — ${u.reason}`;
}
