import 'server-only';
import { randomUUID } from 'node:crypto';
import { chosenCluster, clusters, connectionListOf } from '@/lib/clusters/registry';
import { publicError } from '@/lib/errors';
import { getMonitor } from '@/lib/health/monitor';
import type { DirectionStatus } from '@/lib/health/types';
import { interruptedRuns, liveRun } from './background';
import { planRun } from './plan';
import { redactRepair, redactRun } from './redact';
import { currentRepair } from './repair';
import type { RepairPreview } from './repair-types';
import { DEFAULT_LEASE_MS } from './run-restore';
import { recentRuns } from './store';
import type { RestoreKind, RunView } from './types';

// What the restore page and its polling route show: each node that could be restored or
// switched to (with its plan and how far behind it is), the run in progress, interrupted runs.

export interface Candidate {
  node: string;
  role: string;
  kind: RestoreKind;
  readOnly: boolean | null;
  fenceReason: string | null;
  /** When the node was fenced (ISO), for "fenced since 03:12:40". */
  fencedSince: string | null;
  /** Whether the node answers the console's probe right now. */
  reachable: boolean;
  plan: RunView | null;
  /** Why no plan could be made (node down, ...). */
  problem: string | null;
  /** The heartbeat view of active → this node from the health sampler, if it has one. */
  lag: LagView | null;
  /** This node's newest finished run, when its verification found a difference. */
  failedCheck: FailedCheck | null;
  /** The last repair previewed or applied for this node (secrets redacted). */
  repair: RepairPreview | null;
}

export interface FailedCheck {
  runId: string;
  finishedAt: number | null;
  /** Tables whose checksum (or row-by-row precheck) differed. */
  tables: string[];
  gtidOk: boolean;
  /** Differing rows listed in the run (capped at 50: see truncated). */
  rows: number;
  truncated: boolean;
}

export interface LagView {
  from: string;
  to: string;
  /** Age of the oldest heartbeat the node has not applied; null when the sampler cannot tell. */
  lagMs: number | null;
  secondsBehind: number | null;
  health: DirectionStatus['health'];
  summary: string;
}

export interface RestoreOverview {
  /** The cluster shown, when more than one is configured (each restores within its own list). */
  cluster?: string;
  candidates: Candidate[];
  current: RunView | null;
  interrupted: RunView[];
  recent: RunView[];
  leaseMs: number;
  /** The node taking writes now, or null when none can. */
  active: string | null;
}

async function directions(cluster: string): Promise<DirectionStatus[]> {
  // The sampler's last results only: the restore page must never wait on a hung node.
  try {
    return (await getMonitor(cluster)).directions();
  } catch {
    return [];
  }
}

/** One cluster's candidates and runs (the home cluster when none is named; unknown: 404). */
export async function restoreOverview({
  cluster: asked,
}: {
  cluster?: string;
} = {}): Promise<RestoreOverview> {
  const cluster = chosenCluster(asked);
  const list = await connectionListOf(cluster);
  const recent = await recentRuns({ list, limit: 5 }).catch(() => []);
  const live = recent.map((r) => liveRun(r.runId)).find((v) => v?.status === 'running') ?? null;
  const latest = recent[0] ? (liveRun(recent[0].runId) ?? recent[0]) : null;
  const candidates: Candidate[] = [];
  const active = list.active()?.handle.name ?? null;
  const dirs = await directions(cluster);
  for (const n of list.nodes) {
    const role = list.roleOf(n);
    if (role === 'active') continue;
    const kind: RestoreKind = role === 'fenced' ? 'restore' : 'switchover';
    const entry = list.fence.nodes.get(n.handle.name);
    const c: Candidate = {
      node: n.handle.name,
      role,
      kind,
      readOnly: n.readOnly,
      fenceReason: role === 'fenced' ? (entry?.reason ?? null) : null,
      fencedSince: role === 'fenced' && entry?.changedAt ? new Date(entry.changedAt).toISOString() : null,
      reachable: n.reachable !== false,
      plan: null,
      problem: null,
      lag: lagOf({ dirs, from: active, to: n.handle.name }),
      failedCheck: failedCheckOf({ recent, node: n.handle.name }),
      repair: redactRepair(currentRepair(n.handle.name)),
    };
    if (!live) {
      try {
        c.plan = await planRun({
          list,
          kind,
          procedure: 'sipha',
          target: n.handle.name,
          actor: '',
          leaseMs: DEFAULT_LEASE_MS,
          runId: randomUUID(),
        });
      } catch (err) {
        c.problem = publicError(err).message;
      }
    }
    candidates.push(c);
  }
  return {
    ...(clusters().length > 1 ? { cluster } : {}),
    candidates,
    current: redactRun(live ?? latest),
    interrupted: (await interruptedRuns({ list }).catch(() => [])).map((r) => redactRun(r)),
    recent: recent.map((r) => redactRun(r)),
    leaseMs: DEFAULT_LEASE_MS,
    active,
  };
}

function lagOf({
  dirs,
  from,
  to,
}: {
  dirs: DirectionStatus[];
  from: string | null;
  to: string;
}): LagView | null {
  const d = dirs.find((x) => x.from === from && x.to === to);
  if (!d) return null;
  return {
    from: d.from,
    to: d.to,
    lagMs: d.lagMs,
    secondsBehind: d.secondsBehind,
    health: d.health,
    summary: d.summary,
  };
}

/** A node's newest finished run decides: a later successful or differently failed run clears it. */
function failedCheckOf({ recent, node }: { recent: RunView[]; node: string }): FailedCheck | null {
  const last = recent.find((r) => r.target === node && r.status !== 'running');
  const v = last?.verify;
  if (!last || !v || v.ok) return null;
  return {
    runId: last.runId,
    finishedAt: last.finishedAt,
    tables: v.tables.filter((t) => !t.equal).map((t) => t.table),
    gtidOk: v.gtidOk,
    rows: v.diffs.length,
    truncated: v.diffsTruncated,
  };
}
