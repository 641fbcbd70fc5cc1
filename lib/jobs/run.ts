import 'server-only';
import { AppError, publicError } from '@/lib/errors';
import { runsElsewhere } from './interrupted';
import { type JobKind, runSteps } from './kinds';
import { ended, PROCESS_ID, processWords, publish, track } from './registry';
import { type JobAudit, runJobStep } from './step';
import type { JobRecord, JobStore } from './store';

// A job whose steps all run in one go, with the generic state below: before each step the
// store says which step runs and in which console process, after it what came of it. A console
// that restarts finds the job interrupted (interrupted.ts) and resumes it (steps recorded done,
// or whose verify holds, are not run again). Kinds with a
// richer state of their own (the wizard, the restore) record their steps themselves, through
// the same step runner (step.ts), registry and store.

export interface StepResult {
  status: 'running' | 'done' | 'failed' | 'skipped' | 'rolled_back';
  detail: string;
}

export interface SimpleState<D = unknown> {
  steps: Record<string, StepResult>;
  /** The kind's own input (a move's plan), kept with the job for a resume. */
  data?: D;
}

export type SimpleJob<D = unknown> = JobRecord<SimpleState<D>>;

export function newJob<D = unknown>({
  jobId,
  kind,
  target,
  createdBy,
  data,
}: {
  jobId: string;
  kind: string;
  target: string;
  createdBy: string;
  data?: D;
}): SimpleJob<D> {
  const now = Date.now();
  return {
    jobId,
    kind,
    status: 'running',
    step: null,
    owner: null,
    target,
    state: data === undefined ? { steps: {} } : { steps: {}, data },
    detail: '',
    createdBy,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
}

const withStep = (r: JobRecord, id: string, s: StepResult): JobRecord => {
  const state = r.state as SimpleState;
  return { ...r, state: { ...state, steps: { ...state.steps, [id]: s } } satisfies SimpleState };
};

/**
 * Runs (or, with `resume`, resumes) a job to its end; the job as finally stored. A resume runs
 * on from the first step not recorded as done, and skips steps whose verify holds. A failure
 * is recorded (and, with `rethrow`, thrown again once recorded).
 */
export async function runJob<C>({
  store,
  kind,
  ctx,
  job,
  audit,
  resume = false,
  rethrow = false,
}: {
  store: JobStore;
  kind: JobKind<C>;
  ctx: C;
  job: SimpleJob;
  audit: JobAudit;
  resume?: boolean;
  rethrow?: boolean;
}): Promise<SimpleJob> {
  const { jobId } = job;
  if (resume) {
    const stored = await store.load(jobId);
    if (stored && runsElsewhere(stored)) throw elsewhere(stored);
  }
  const live = track({ jobId, kind: kind.kind, store });
  // Every save after the claim checks, under the row lock, that the row still names this
  // process: one stopped past STALE_MS (SIGSTOP, a VM paused) whose job another console took
  // over must neither run another step nor write over that console's record.
  const save = async (fn: (r: JobRecord) => JobRecord, claim = false) => {
    const r = await store.update(jobId, (r) => {
      if (!claim && r.owner !== PROCESS_ID) throw new TakenOverError(jobId, r.owner);
      return fn(r);
    });
    publish(jobId, r);
    return r as SimpleJob;
  };
  let takenOver: TakenOverError | null = null;
  let last: SimpleJob = job;
  const done = (async () => {
    try {
      if (resume)
        last = await save((r) => {
          // Checked again under the row lock: two consoles resuming at once, one wins.
          if (runsElsewhere(r)) throw elsewhere(r);
          return { ...r, status: 'running', owner: PROCESS_ID };
        }, true);
      else await store.save({ ...job, owner: PROCESS_ID });
    } catch (err) {
      ended(jobId);
      throw err;
    }
    try {
      const recorded = job.state.steps;
      await runSteps({
        kind,
        ctx,
        resume,
        order: kind.steps.map((s) => s.id).filter((id) => !resume || recorded[id]?.status !== 'done'),
        skipped: async (step) => {
          last = await save((r) => withStep(r, step.id, { status: 'skipped', detail: 'already done' }));
        },
        runOne: async (step) => {
          await runJobStep({
            kind: kind.kind,
            step: step.id,
            target: job.target,
            audit,
            begin: async () => {
              last = await save((r) => ({
                ...withStep(r, step.id, { status: 'running', detail: '' }),
                step: step.id,
                owner: PROCESS_ID,
              }));
            },
            run: () => step.run(ctx),
            end: async (o) => {
              const detail = o.ok ? String(o.value ?? '') : publicError(o.error).message;
              try {
                last = await save((r) => withStep(r, step.id, { status: o.ok ? 'done' : 'failed', detail }));
              } catch (err) {
                if (!(err instanceof TakenOverError)) throw err;
                takenOver = err; // audited as run, not recorded: the row is the other console's
                return [detail, `(not recorded: ${err.message})`].filter(Boolean).join(' ');
              }
              return detail;
            },
          });
          if (takenOver) throw takenOver;
        },
      });
      last = await save((r) => ({ ...r, status: 'succeeded', step: null, finishedAt: Date.now() }));
    } catch (err) {
      if (err instanceof TakenOverError) {
        console.warn(`[sipha] ${err.message}: this process stops running it`);
        if (rethrow) throw err;
        return last;
      }
      last = await save((r) => ({
        ...r,
        status: 'failed',
        step: null,
        detail: publicError(err).message,
        finishedAt: Date.now(),
      }));
      if (rethrow) throw err;
    } finally {
      ended(jobId, last);
    }
    return last;
  })();
  live.done = done;
  return done;
}

/** This process's job was taken over by another console process (its row names that one). */
export class TakenOverError extends AppError {
  constructor(jobId: string, owner: string | null) {
    super(
      'conflict:state',
      `Job ${jobId} was taken over by ${owner ? processWords(owner) : 'another console process'}`,
    );
    this.name = 'TakenOverError';
  }
}

/** The refusal for a job another console process still reports (interrupted.ts). */
export function elsewhere(r: Pick<JobRecord, 'owner' | 'updatedAt'>, what = 'this job'): AppError {
  const ago = Math.max(0, Math.round((Date.now() - r.updatedAt) / 1000));
  const who = r.owner ? ` (${processWords(r.owner)})` : '';
  return new AppError(
    'conflict:state',
    `Another console process${who} runs ${what} (it reported ${ago} s ago); it is offered for resume only if that process stops reporting.`,
  );
}

/**
 * Refuses to start a job of this kind while another console process still reports one running
 * (its row touched within STALE_MS): two of them at once would act on the same nodes.
 */
export async function refuseIfKindRunsElsewhere(
  store: Pick<JobStore, 'recent'>,
  kind: string,
  what: (r: JobRecord) => string,
): Promise<void> {
  const recent = await store.recent({ kind, limit: 20 });
  const other = recent.find((r) => r.status === 'running' && runsElsewhere(r));
  if (other) throw elsewhere(other, what(other));
}
