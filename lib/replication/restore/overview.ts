import 'server-only';
import { randomUUID } from 'node:crypto';
import { getConnectionList } from '@/lib/db';
import { publicError } from '@/lib/errors';
import { DEFAULT_LEASE_MS } from './engine';
import { planRun } from './plan';
import { interruptedRuns, liveRun } from './runner';
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
  plan: RunView | null;
  /** Why no plan could be made (node down, ...). */
  problem: string | null;
}

export interface RestoreOverview {
  candidates: Candidate[];
  current: RunView | null;
  interrupted: RunView[];
  recent: RunView[];
  leaseMs: number;
}

export async function restoreOverview(): Promise<RestoreOverview> {
  const list = await getConnectionList();
  const recent = await recentRuns({ list, limit: 5 }).catch(() => []);
  const live = recent.map((r) => liveRun(r.runId)).find((v) => v?.status === 'running') ?? null;
  const latest = recent[0] ? (liveRun(recent[0].runId) ?? recent[0]) : null;
  const candidates: Candidate[] = [];
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
      plan: null,
      problem: null,
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
    candidates,
    current: live ?? latest,
    interrupted: await interruptedRuns({ list }).catch(() => []),
    recent,
    leaseMs: DEFAULT_LEASE_MS,
  };
}
