import type { NodeHandle } from './node';
import { describeConnectionError, type ProbeResult } from './probe';

// What the console knows of each node of the connection list right now, and how a probe or a
// failed statement changes it.

export type NodeRole = 'active' | 'standby' | 'fenced' | 'down';

export interface NodeRuntime {
  handle: NodeHandle;
  reachable: boolean | null;
  downSince: Date | null;
  lastError: string | null;
  latencyMs: number | null;
  version: string | null;
  readOnly: boolean | null;
  checkedAt: Date | null;
  failures: number;
  /** Why the node is held to be down, in words (the detector's evidence). */
  evidence: string | null;
  /** Set while the console cannot reach the node but its peers can: the console is cut off. */
  cutOff: string | null;
  /**
   * Down because it stopped answering (hung or cut off), not refused: it may still run what
   * it was sent, later, so an unsure write is not repeated elsewhere.
   */
  hung: boolean;
}

export function newRuntime(handle: NodeHandle): NodeRuntime {
  return {
    handle,
    reachable: null,
    downSince: null,
    lastError: null,
    latencyMs: null,
    version: null,
    readOnly: null,
    checkedAt: null,
    failures: 0,
    evidence: null,
    cutOff: null,
    hung: false,
  };
}

/** Marks a node unreachable; returns true when it was not known to be down before. */
export function recordDown(n: NodeRuntime, err: unknown): boolean {
  const fresh = n.reachable !== false;
  if (fresh) {
    n.reachable = false;
    n.downSince = new Date();
  }
  n.lastError = describeConnectionError(err);
  n.latencyMs = null;
  n.failures++;
  return fresh;
}

/** A successful probe: the node answers, with this latency, version and read_only. */
export function recordUp(n: NodeRuntime, r: ProbeResult): void {
  n.latencyMs = r.latencyMs;
  n.version = r.version ?? null;
  n.readOnly = r.readOnly ?? null;
  n.lastError = null;
  n.failures = 0;
  n.evidence = null;
  n.cutOff = null;
  n.hung = false;
  if (n.reachable === false) n.downSince = null;
  n.reachable = true;
}

export function unavailableMessage(nodes: NodeRuntime[], isFenced: (name: string) => boolean): string {
  const fenced = nodes.filter((n) => isFenced(n.handle.name)).map((n) => n.handle.name);
  const down = nodes.filter((n) => n.reachable === false).map((n) => n.handle.name);
  return `No database node can take writes (down: ${down.join(', ') || 'none'}; fenced: ${fenced.join(', ') || 'none'}).`;
}

export function cutOffMessage(name: string): string {
  return `The console cannot reach ${name}, but its peers still receive from it: the console is cut off, not ${name}. No failover; writes go on once the console reaches ${name} again.`;
}

export function maybeLaterMessage(from: string, to: string): string {
  return `The write was sent to ${from}, which stopped answering; it may still be applied there and reach ${to} by replication, so it was not repeated. Check and retry.`;
}

/** The one wording for writes that did not land on the first node of the list. */
export function notFirstNodeWarning(written: string[], first: string | string[]): string | undefined {
  const firsts = typeof first === 'string' ? [first] : first;
  const other = written.filter((n) => !firsts.includes(n));
  const named = firsts.join(', ');
  return other.length
    ? `Written to ${other.join(', ')}, not the first node ${named}: ${named} is down or fenced.`
    : undefined;
}

export function unknownOutcomeMessage(name: string): string {
  return `The connection to ${name} broke before the write was confirmed; it may or may not have been applied. Check and retry.`;
}
