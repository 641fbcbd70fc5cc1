import 'server-only';
import { AppError, logError, publicError } from '@/lib/errors';
import { interruptedMessage, isInterrupted, runsElsewhere } from '@/lib/jobs/interrupted';
import { ended, liveJob, PROCESS_ID, publish, track } from '@/lib/jobs/registry';
import { elsewhere } from '@/lib/jobs/run';
import { runJobStep } from '@/lib/jobs/step';
import type { WizardContext } from './context';
import { StepFailure } from './failure';
import { createIO, StatementError } from './io';
import { REQUIRES, type StepInput, wizardJob } from './steps';
import { WIZARD_KIND } from './store';
import {
  type LogEntry,
  type Progress,
  type RunState,
  STEP_TITLES,
  type StepId,
  type StepState,
  type Steps,
} from './types';

// Runs one wizard step at a time as a job step (lib/jobs): the page polls for progress.
// State is saved at the start, at most once a second while running, and at the end; a step
// still marked running that this console does not run is interrupted (lib/jobs/interrupted.ts)
// and can simply be run again: every step is idempotent.

type LiveView = { log: LogEntry[]; progress?: Progress };

export function failureOf(err: unknown): Pick<StepState, 'message' | 'advice'> {
  if (err instanceof StepFailure)
    return { message: err.message, ...(err.advice ? { advice: err.advice } : {}) };
  if (err instanceof StatementError) return { message: err.message };
  return { message: publicError(err).message };
}

/** The run as the UI should see it: live progress merged in, orphaned steps interrupted. */
export function present(run: RunState): RunState {
  const live = liveJob(run.runId);
  const steps: Record<StepId, StepState> = { ...run.steps };
  for (const [id, s] of Object.entries(steps) as [StepId, StepState][]) {
    if (s.status !== 'running') continue;
    if (live && !live.ended && live.step === id) {
      const v = live.view as LiveView | undefined;
      steps[id] = { ...s, ...(v ? { log: v.log, ...(v.progress ? { progress: v.progress } : {}) } : {}) };
    } else if (isInterrupted(stepRecord(run, id, s)))
      steps[id] = { ...s, status: 'interrupted', message: interruptedMessage(WIZARD_KIND) };
  }
  return { ...run, steps: steps as Steps };
}

/** A running step as the job store has it: who runs it, and when the row was last touched. */
function stepRecord(run: RunState, id: StepId, s: StepState) {
  return { jobId: run.runId, step: id, owner: s.owner ?? null, updatedAt: Date.parse(run.updatedAt) };
}

/** The step another console process runs now (and still reports), if any. */
function runningElsewhere(run: RunState) {
  for (const [id, s] of Object.entries(run.steps) as [StepId, StepState][]) {
    const rec = stepRecord(run, id, s);
    if (s.status === 'running' && runsElsewhere(rec)) return rec;
  }
  return undefined;
}

export function isBusy(runId: string): StepId | undefined {
  const live = liveJob(runId);
  return live && !live.ended ? ((live.step as StepId | null) ?? undefined) : undefined;
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
  const def = wizardJob.steps.find((s) => s.id === step);
  if (!def) throw new AppError('bad_request:input', 'No such wizard step.');

  const other = runningElsewhere(run);
  if (other) throw elsewhere(other);
  const live = track({ jobId: runId, kind: WIZARD_KIND, step, store: ctx.store.jobs });
  const view: LiveView = { log: [] };
  let lastSave = 0;
  const save = (force = false) => {
    if (!force && Date.now() - lastSave < 1000) return;
    lastSave = Date.now();
    void ctx.store
      .updateStep({
        runId,
        step,
        update: (s) => ({ ...s, log: view.log, ...(view.progress ? { progress: view.progress } : {}) }),
      })
      .catch(() => undefined);
  };
  const io = createIO({
    dryRun: false,
    onProgress: (p) => {
      view.progress = p;
      save();
    },
    onLog: () => save(),
  });
  view.log = io.log;
  publish(runId, view);
  let started: RunState;
  try {
    started = await ctx.store.updateRun({
      runId,
      update: (r) => {
        // Checked again under the row lock: two consoles starting a step at once, one wins.
        const taken = runningElsewhere(r);
        if (taken) throw elsewhere(taken);
        const s: StepState = {
          status: 'running',
          startedAt: new Date().toISOString(),
          log: [],
          owner: PROCESS_ID,
        };
        return { ...r, steps: { ...r.steps, [step]: s } };
      },
    });
  } catch (err) {
    ended(runId);
    throw err;
  }

  live.done = runJobStep({
    kind: WIZARD_KIND,
    step,
    target: `run ${runId}`,
    audit: (e) => ctx.audit({ ...e, actor: ctx.actor }),
    run: () => def.run({ ctx, run: started, io, input }),
    end: async (o) => {
      const end: Partial<StepState> = o.ok
        ? { status: 'done', result: o.value as StepState['result'], message: `${STEP_TITLES[step]} done.` }
        : {
            status: 'failed',
            ...failureOf(o.error),
            ...((o.error as StepState).result ? { result: (o.error as StepState).result } : {}),
          };
      const finishedAt = new Date().toISOString();
      await ctx.store
        .updateRun({
          runId,
          update: (r) => ({
            ...r,
            status: step === 'harden' && end.status === 'done' ? 'finished' : r.status,
            steps: {
              ...r.steps,
              [step]: { ...r.steps[step], ...end, log: io.log, finishedAt, progress: view.progress },
            },
          }),
        })
        .catch((err) => logError('wizard: could not save the step result', err));
      ended(runId);
      return end.message ?? '';
    },
  }).catch(() => undefined);
  if (wait) await live.done;
  return present((await ctx.store.get(runId))!);
}
