import 'server-only';
import type { JobRecord, JobStore } from '@/lib/jobs/store';
import { emptySteps, type NodeChoice, type RunState, resumeStep, type StepId, type StepState } from './types';

// A wizard run is a job of kind `wizard` in the job store (lib/jobs/store.ts): its nodes and
// steps are the job's state. The step marked running (and its owner) is the job's running
// step, so the console finds it interrupted after a restart like any other job.

export const WIZARD_KIND = 'wizard';

export interface WizardStore {
  /** The job store under it (the heartbeat of a running step touches its row there). */
  readonly jobs: JobStore;
  create(args: { runId: string; nodes: NodeChoice[]; createdBy: string }): Promise<RunState>;
  latest(): Promise<RunState | null>;
  get(runId: string): Promise<RunState | null>;
  updateStep(args: { runId: string; step: StepId; update: (s: StepState) => StepState }): Promise<RunState>;
  updateRun(args: { runId: string; update: (r: RunState) => RunState }): Promise<RunState>;
}

type State = { nodes: NodeChoice[]; steps: Partial<RunState['steps']> };

function toRun(rec: JobRecord): RunState {
  const state = rec.state as State;
  const steps = { ...emptySteps(), ...state.steps };
  return {
    runId: rec.jobId,
    status: rec.status as RunState['status'],
    currentStep: resumeStep(steps),
    nodes: state.nodes,
    steps,
    createdBy: rec.createdBy,
    createdAt: new Date(rec.createdAt).toISOString(),
    updatedAt: new Date(rec.updatedAt).toISOString(),
  };
}

function toRecord(run: RunState, base: JobRecord): JobRecord {
  const running = (Object.entries(run.steps) as [StepId, StepState][]).find(
    ([, s]) => s.status === 'running',
  );
  return {
    ...base,
    status: run.status,
    step: running?.[0] ?? null,
    owner: running?.[1].owner ?? null,
    state: { nodes: run.nodes, steps: run.steps } satisfies State,
    finishedAt: run.status === 'open' ? null : (base.finishedAt ?? Date.now()),
  };
}

export function wizardStore(jobs: JobStore): WizardStore {
  const mutate = async (runId: string, update: (r: RunState) => RunState) => {
    const rec = await jobs.update(runId, (rec) => {
      if (rec.kind !== WIZARD_KIND) throw new Error(`No wizard run ${runId}`);
      return toRecord(update(toRun(rec)), rec);
    });
    return toRun(rec);
  };
  return {
    jobs,
    async create({ runId, nodes, createdBy }) {
      // One open run at a time: an older open run is abandoned, never deleted (it is history).
      for (const old of await jobs.recent({ kind: WIZARD_KIND, limit: 20 }))
        if (old.status === 'open') await mutate(old.jobId, (r) => ({ ...r, status: 'abandoned' }));
      const now = Date.now();
      await jobs.save({
        jobId: runId,
        kind: WIZARD_KIND,
        status: 'open',
        step: null,
        owner: null,
        target: nodes.map((n) => n.name).join(' '),
        state: { nodes, steps: emptySteps() } satisfies State,
        detail: '',
        createdBy,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      });
      const run = await this.get(runId);
      if (!run) throw new Error('wizard run vanished after insert');
      return run;
    },
    async latest() {
      const [rec] = await jobs.recent({ kind: WIZARD_KIND, limit: 1 });
      return rec ? toRun(rec) : null;
    },
    async get(runId) {
      const rec = await jobs.load(runId);
      return rec?.kind === WIZARD_KIND ? toRun(rec) : null;
    },
    updateStep: ({ runId, step, update }) =>
      mutate(runId, (r) => ({ ...r, steps: { ...r.steps, [step]: update(r.steps[step]) } })),
    updateRun: ({ runId, update }) => mutate(runId, update),
  };
}
