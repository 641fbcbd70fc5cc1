import 'server-only';
import type { Kysely } from 'kysely';
import type { DB } from '@/lib/db/schema';
import { emptySteps, type NodeChoice, type RunState, resumeStep, type StepId, type StepState } from './types';

// The wizard's state in sipha_wizard (migration 004), written through the connection list like
// every console write. Step updates are read-modify-write under a row lock, so a progress
// update and an Apply on another step never overwrite each other.

export type WriteFn = <T>(fn: (db: Kysely<DB>) => Promise<T>) => Promise<T>;

export interface WizardStore {
  create(args: { runId: string; nodes: NodeChoice[]; createdBy: string }): Promise<RunState>;
  latest(): Promise<RunState | null>;
  get(runId: string): Promise<RunState | null>;
  updateStep(args: { runId: string; step: StepId; update: (s: StepState) => StepState }): Promise<RunState>;
  updateRun(args: { runId: string; update: (r: RunState) => RunState }): Promise<RunState>;
}

type Row = {
  run_id: string;
  status: string;
  current_step: string;
  nodes: string;
  steps: string;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

function toState(r: Row): RunState {
  const steps = { ...emptySteps(), ...(JSON.parse(r.steps) as Partial<RunState['steps']>) };
  return {
    runId: r.run_id,
    status: r.status as RunState['status'],
    currentStep: resumeStep(steps),
    nodes: JSON.parse(r.nodes) as NodeChoice[],
    steps,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function kyselyStore(write: WriteFn): WizardStore {
  const select = (db: Kysely<DB>) => db.selectFrom('sipha_wizard').selectAll();
  const mutate = (runId: string, update: (r: RunState) => RunState) =>
    write((db) =>
      db.transaction().execute(async (trx) => {
        const row = await select(trx).where('run_id', '=', runId).forUpdate().executeTakeFirst();
        if (!row) throw new Error(`No wizard run ${runId}`);
        const next = update(toState(row as Row));
        next.currentStep = resumeStep(next.steps);
        await trx
          .updateTable('sipha_wizard')
          .set({
            status: next.status,
            current_step: next.currentStep,
            steps: JSON.stringify(next.steps),
            nodes: JSON.stringify(next.nodes),
            updated_at: new Date(),
            finished_at: next.status === 'open' ? null : new Date(),
          })
          .where('run_id', '=', runId)
          .execute();
        return next;
      }),
    );
  return {
    async create({ runId, nodes, createdBy }) {
      await write(async (db) => {
        // One open run at a time: an older open run is abandoned, never deleted (it is history).
        await db
          .updateTable('sipha_wizard')
          .set({ status: 'abandoned', updated_at: new Date() })
          .where('status', '=', 'open')
          .execute();
        await db
          .insertInto('sipha_wizard')
          .values({
            run_id: runId,
            status: 'open',
            current_step: 'nodes',
            nodes: JSON.stringify(nodes),
            steps: JSON.stringify(emptySteps()),
            created_by: createdBy,
          })
          .execute();
      });
      const run = await this.get(runId);
      if (!run) throw new Error('wizard run vanished after insert');
      return run;
    },
    async latest() {
      const row = await write((db) => select(db).orderBy('created_at', 'desc').limit(1).executeTakeFirst());
      return row ? toState(row as Row) : null;
    },
    async get(runId) {
      const row = await write((db) => select(db).where('run_id', '=', runId).executeTakeFirst());
      return row ? toState(row as Row) : null;
    },
    updateStep: ({ runId, step, update }) =>
      mutate(runId, (r) => ({ ...r, steps: { ...r.steps, [step]: update(r.steps[step]) } })),
    updateRun: ({ runId, update }) => mutate(runId, update),
  };
}
