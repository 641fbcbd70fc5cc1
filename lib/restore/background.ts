import 'server-only';
import { randomUUID } from 'node:crypto';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError, publicError } from '@/lib/errors';
import { interruptedJobs, interruptedMessage, isInterrupted, runsElsewhere } from '@/lib/jobs/interrupted';
import { rollbackSteps } from '@/lib/jobs/kinds';
import { ended, liveJob, publish, runningJobs, track } from '@/lib/jobs/registry';
import { elsewhere, refuseIfKindRunsElsewhere } from '@/lib/jobs/run';
import { type JobRecord, tableStore } from '@/lib/jobs/store';
import type { ReplicationCredentials } from './replicate';
import { completeAfterSwitch } from './resume-switched';
import { RunContext } from './run-context';
import { type AuditSink, runRestore } from './run-restore';
import { restoreJob } from './step-table';
import { RESTORE_KIND, saveRun, viewOf } from './store';
import type { RestoreKind, RestoreProcedure, RunView, VerifyCheckpoint } from './types';

// Runs are jobs of kind `restore` (lib/jobs), run in the background of the console process: a
// server action starts one and returns, the page polls GET /api/restore/<id>. A run stored as
// running that this process does not run was interrupted by a restart (lib/jobs/interrupted.ts):
// the operator resumes or rolls it back. Its lock died with the old process.

/** The run's latest view in this process, running or ended here. */
export function liveRun(runId: string): RunView | undefined {
  const j = liveJob(runId);
  return j?.kind === RESTORE_KIND ? (j.view as RunView | undefined) : undefined;
}

/** The run in progress in this console, if any (a repair waits for it to end). */
export function busy(): RunView | undefined {
  return runningJobs(RESTORE_KIND)
    .map((j) => j.view as RunView | undefined)
    .find((v) => v !== undefined);
}

export async function interruptedRuns({ list }: { list: ConnectionList }): Promise<RunView[]> {
  const jobs = await interruptedJobs({ store: tableStore(list), kind: RESTORE_KIND });
  return jobs.flatMap((r) => (r.status === 'running' ? (viewOf(r) ?? []) : []));
}

/**
 * A stored run still marked running is interrupted unless a console process runs it: this one,
 * or another that still touches its row (lib/jobs/interrupted.ts).
 */
async function storedRun(list: ConnectionList, runId: string) {
  const rec = await tableStore(list).load(runId);
  const view = rec ? viewOf(rec) : null;
  return view && rec ? { view, interrupted: view.status === 'running' && isInterrupted(rec), rec } : null;
}

/** The interrupted run, for a resume or a rollback; refused (and why) when it is not. */
async function interruptedRun(list: ConnectionList, runId: string): Promise<RunView> {
  const s = await storedRun(list, runId);
  if (s?.view.status === 'running' && runsElsewhere(s.rec as JobRecord)) throw elsewhere(s.rec);
  if (!s?.interrupted) throw new AppError('conflict:state', 'That run is not interrupted.');
  return s.view;
}

export async function getRun({
  list,
  runId,
}: {
  list: ConnectionList;
  runId: string;
}): Promise<RunView | null> {
  const v = liveRun(runId);
  if (v) return v;
  const s = await storedRun(list, runId);
  if (s?.interrupted) return { ...s.view, status: 'interrupted', message: interruptedMessage(RESTORE_KIND) };
  return s?.view ?? null;
}

export interface StartInput {
  list: ConnectionList;
  kind: RestoreKind;
  procedure: RestoreProcedure;
  target: string;
  actor: string;
  leaseMs?: number;
  credentials?: ReplicationCredentials;
  audit?: AuditSink;
  /** Set by resumeRun: the interrupted run's verification checkpoint. */
  resumeChunks?: VerifyCheckpoint | null;
  /** Tests only (test/helpers/restore-child.ts): pauses where a test kills the console. */
  testHoldMs?: number;
  testHoldAfterSwitchMs?: number;
}

/** Starts a run in the background; returns its id at once (after the plan is known). */
export async function startRun(input: StartInput): Promise<{ runId: string; done: Promise<RunView> }> {
  const running = busy();
  if (running) throw new AppError('conflict:state', `A restore of ${running.target} is already running.`);
  await refuseIfKindRunsElsewhere(tableStore(input.list), RESTORE_KIND, (r) => `a restore of ${r.target}`);
  const open = await interruptedRuns({ list: input.list });
  if (open.length)
    throw new AppError(
      'conflict:state',
      `An interrupted restore of ${open[0]!.target} must be resumed or rolled back first.`,
    );
  const runId = randomUUID();
  let first!: () => void;
  let failedEarly!: (e: unknown) => void;
  const started = new Promise<void>((res, rej) => {
    first = res;
    failedEarly = rej;
  });
  const done = runRestore({
    ...input,
    runId,
    onProgress: (v) => {
      publish(runId, v);
      first();
    },
  }).then(
    (v) => v,
    (err) => {
      failedEarly(err);
      throw err;
    },
  );
  done.catch(() => undefined);
  await started;
  return { runId, done };
}

/** After a restart: complete what the old run had done, or start the remaining work again. */
export async function resumeRun(
  input: Omit<StartInput, 'kind' | 'procedure' | 'target'> & { runId: string },
): Promise<{ runId: string; status: RunView['status']; message: string }> {
  const { list } = input;
  const old = await interruptedRun(list, input.runId);
  await list.refreshFence(true);
  if (await switchStep().verify!(contextOf({ list, old, actor: input.actor }))) {
    // The switch happened before the console stopped; the lock died with it. Finish the tail
    // without locking again (resume-switched.ts).
    track({ jobId: old.runId, kind: RESTORE_KIND, store: tableStore(list) });
    let v: RunView;
    try {
      v = await completeAfterSwitch({
        list,
        old,
        actor: input.actor,
        audit: input.audit,
        onProgress: (p) => publish(old.runId, p),
      });
    } finally {
      ended(old.runId);
    }
    ended(old.runId, v);
    return { runId: old.runId, status: v.status, message: v.message };
  }
  await saveRun({
    list,
    view: {
      ...old,
      status: 'interrupted',
      finishedAt: Date.now(),
      message: 'Interrupted by a console restart; resumed as a new run.',
    },
  });
  const { runId } = await startRun({
    ...input,
    kind: old.kind,
    procedure: old.procedure,
    target: old.target,
    resumeChunks: old.steps.find((s) => s.id === 'verify_chunks')?.checkpoint ?? null,
  });
  return { runId, status: 'running', message: `Resumed as run ${runId.slice(0, 8)}.` };
}

/** Puts the fence state back to what it was before the run; the survivor is not locked any more. */
export async function rollbackRun({
  list,
  runId,
  actor,
}: {
  list: ConnectionList;
  runId: string;
  actor: string;
}): Promise<{ runId: string; detail: string }> {
  const old = await interruptedRun(list, runId);
  await list.refreshFence(true);
  let detail = 'nothing had been switched';
  try {
    const undone = await rollbackSteps({ kind: restoreJob, ctx: contextOf({ list, old, actor }) });
    if (undone.length) detail = undone.map((u) => u.detail).join('; ');
  } catch (err) {
    throw new AppError('failed:database', `Rollback failed: ${publicError(err).message}`);
  }
  await saveRun({
    list,
    view: {
      ...old,
      status: 'rolled_back',
      finishedAt: Date.now(),
      message: `Rolled back after a console restart: ${detail}. The survivor's lock had died with the old console.`,
    },
  });
  return { runId, detail };
}

const switchStep = () => restoreJob.steps.find((s) => s.id === 'switch')!;

/** An interrupted run's context, enough for its steps' verify and rollback (no node sessions). */
function contextOf({ list, old, actor }: { list: ConnectionList; old: RunView; actor: string }): RunContext {
  const o = { list, kind: old.kind, procedure: old.procedure, target: old.target, actor, runId: old.runId };
  return new RunContext(o, structuredClone(old), 0);
}
