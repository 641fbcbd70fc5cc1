import 'server-only';
import { randomUUID } from 'node:crypto';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError, publicError } from '@/lib/errors';
import type { ReplicationCredentials } from './replicate';
import { completeAfterSwitch } from './resume-switched';
import { type AuditSink, runRestore } from './run-restore';
import { loadRun, recentRuns, saveRun } from './store';
import type { RestoreKind, RestoreProcedure, RunView, VerifyCheckpoint } from './types';

// Runs live in the console process, in the background: a server action starts one and returns,
// the page polls GET /api/restore/<id>. The registry is on globalThis so dev reloads keep it.
// A run found in sipha_restore as `running` that this process does not know was interrupted by
// a restart: the operator resumes or rolls it back. Its lock died with the old process.

const g = globalThis as unknown as { __siphaRestore?: Map<string, RunView> };
g.__siphaRestore ??= new Map();
const live = g.__siphaRestore;

export function liveRun(runId: string): RunView | undefined {
  return live.get(runId);
}

/** The run in progress in this console, if any (a repair waits for it to end). */
export function busy(): RunView | undefined {
  return [...live.values()].find((v) => v.status === 'running');
}

export async function interruptedRuns({ list }: { list: ConnectionList }): Promise<RunView[]> {
  return (await recentRuns({ list, limit: 20 })).filter((r) => r.status === 'running' && !live.has(r.runId));
}

export async function getRun({
  list,
  runId,
}: {
  list: ConnectionList;
  runId: string;
}): Promise<RunView | null> {
  const v = live.get(runId);
  if (v) return v;
  const stored = await loadRun({ list, runId });
  if (stored && stored.status === 'running')
    return {
      ...stored,
      status: 'interrupted',
      message: 'The console stopped during this run: resume or roll back.',
    };
  return stored;
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
      live.set(runId, v);
      first();
    },
  }).then(
    (v) => {
      live.set(runId, v);
      return v;
    },
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
  const old = await loadRun({ list: input.list, runId: input.runId });
  if (old?.status !== 'running' || live.has(runIdOf(old)))
    throw new AppError('conflict:state', 'That run is not interrupted.');
  const { list } = input;
  await list.refreshFence(true);
  const switched = old.kind === 'restore' ? !list.isFenced(old.target) : list.isFenced(old.survivor);
  if (switched) {
    // The switch happened before the console stopped; the lock died with it. Finish the tail
    // without locking again (resume-switched.ts).
    const v = await completeAfterSwitch({
      list,
      old,
      actor: input.actor,
      audit: input.audit,
      onProgress: (p) => live.set(old.runId, p),
    });
    live.set(old.runId, v);
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
  const old = await loadRun({ list, runId });
  if (old?.status !== 'running' || live.has(runIdOf(old)))
    throw new AppError('conflict:state', 'That run is not interrupted.');
  await list.refreshFence(true);
  let detail = 'nothing had been switched';
  try {
    if (old.kind === 'restore' && !list.isFenced(old.target)) {
      await list.setFenced(old.target, true, `rollback of interrupted restore ${runId.slice(0, 8)}`, actor);
      detail = `${old.target} fenced again`;
    } else if (old.kind === 'switchover' && list.isFenced(old.survivor)) {
      await list.setFenced(
        old.survivor,
        false,
        `rollback of interrupted switchover ${runId.slice(0, 8)}`,
        actor,
      );
      detail = `${old.survivor} unfenced again`;
    }
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

const runIdOf = (v: RunView) => v.runId;
