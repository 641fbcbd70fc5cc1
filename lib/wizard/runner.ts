import 'server-only';
import { randomUUID } from 'node:crypto';
import { AppError, logError, publicError } from '@/lib/errors';
import type { WizardContext } from './context';
import { StepFailure } from './failure';
import { createIO, StatementError } from './io';
import { REQUIRES, STEP_FNS, type StepInput } from './steps';
import {
  type LogEntry,
  type Progress,
  type RunState,
  STEP_TITLES,
  type StepId,
  type StepState,
  type Steps,
} from './types';

// Runs wizard steps in the background of the console process (the page polls for progress).
// State is saved in sipha_wizard at the start, at most once a second while running, and at the
// end; a step still marked running by another process id is shown as interrupted after a
// console restart and can simply be run again: every step is idempotent.

const g = globalThis as unknown as { __siphaWizard?: { id: string; jobs: Map<string, Job> } };
g.__siphaWizard ??= { id: randomUUID(), jobs: new Map() };
const shared = g.__siphaWizard;
export const PROCESS_ID = shared.id;

interface Job {
  step: StepId;
  log: LogEntry[];
  progress?: Progress;
  done: Promise<void>;
}

export function failureOf(err: unknown): Pick<StepState, 'message' | 'advice'> {
  if (err instanceof StepFailure)
    return { message: err.message, ...(err.advice ? { advice: err.advice } : {}) };
  if (err instanceof StatementError) return { message: err.message };
  return { message: publicError(err).message };
}

/** The run as the UI should see it: live progress merged in, orphaned steps interrupted. */
export function present(run: RunState): RunState {
  const job = shared.jobs.get(run.runId);
  const steps: Record<StepId, StepState> = { ...run.steps };
  for (const [id, s] of Object.entries(steps) as [StepId, StepState][]) {
    if (s.status !== 'running') continue;
    if (job?.step === id)
      steps[id] = { ...s, log: job.log, ...(job.progress ? { progress: job.progress } : {}) };
    else if (s.owner !== PROCESS_ID || !job)
      steps[id] = {
        ...s,
        status: 'interrupted',
        message: 'The console stopped while this step ran. Run it again: it is safe to repeat.',
      };
  }
  return { ...run, steps: steps as Steps };
}

export function isBusy(runId: string): StepId | undefined {
  return shared.jobs.get(runId)?.step;
}

export async function startStep({
  ctx,
  runId,
  step,
  input = {},
  wait = false,
}: {
  ctx: WizardContext;
  runId: string;
  step: StepId;
  input?: StepInput;
  wait?: boolean;
}): Promise<RunState> {
  const run = await ctx.store.get(runId);
  if (run?.status !== 'open')
    throw new AppError('conflict:state', 'This wizard run is closed; start a new one.');
  const busy = isBusy(runId);
  if (busy) throw new AppError('conflict:state', `${STEP_TITLES[busy]} is still running.`);
  const missing = (REQUIRES[step] ?? []).filter((s) => run.steps[s].status !== 'done');
  if (missing.length)
    throw new AppError('conflict:state', `Finish ${missing.map((s) => STEP_TITLES[s]).join(' and ')} first.`);

  let lastSave = 0;
  const job: Job = { step, log: [], done: Promise.resolve() };
  const save = (force = false) => {
    if (!force && Date.now() - lastSave < 1000) return;
    lastSave = Date.now();
    void ctx.store
      .updateStep({
        runId,
        step,
        update: (s) => ({ ...s, log: job.log, ...(job.progress ? { progress: job.progress } : {}) }),
      })
      .catch(() => undefined);
  };
  const io = createIO({
    dryRun: false,
    onProgress: (p) => {
      job.progress = p;
      save();
    },
    onLog: () => save(),
  });
  job.log = io.log;
  shared.jobs.set(runId, job);
  const started = await ctx.store
    .updateStep({
      runId,
      step,
      update: () => ({ status: 'running', startedAt: new Date().toISOString(), log: [], owner: PROCESS_ID }),
    })
    .catch((err) => {
      shared.jobs.delete(runId);
      throw err;
    });

  job.done = (async () => {
    let end: Partial<StepState>;
    try {
      const result = await STEP_FNS[step]({ ctx, run: started, io, input });
      end = { status: 'done', result, message: `${STEP_TITLES[step]} done.` };
    } catch (err) {
      end = {
        status: 'failed',
        ...failureOf(err),
        ...((err as StepState).result ? { result: (err as StepState).result } : {}),
      };
    }
    const finishedAt = new Date().toISOString();
    await ctx.store
      .updateRun({
        runId,
        update: (r) => ({
          ...r,
          status: step === 'harden' && end.status === 'done' ? 'finished' : r.status,
          steps: {
            ...r.steps,
            [step]: { ...r.steps[step], ...end, log: io.log, finishedAt, progress: job.progress },
          },
        }),
      })
      .catch((err) => logError('wizard: could not save the step result', err));
    shared.jobs.delete(runId);
    await ctx.audit({
      actor: ctx.actor,
      action: `wizard.${step}`,
      target: `run ${runId}`,
      outcome: end.status === 'done' ? 'ok' : 'failed',
      detail: end.message ?? '',
    });
  })();
  if (wait) await job.done;
  return present((await ctx.store.get(runId))!);
}
