import 'server-only';
import { runSteps } from '@/lib/jobs/kinds';
import { ended, publish, track } from '@/lib/jobs/registry';
import { tableStore } from '@/lib/jobs/store';
import { nodeCtx } from './node-io';
import { planRun } from './plan';
import { RunContext, type RunOptions } from './run-context';
import { finish, release, settle } from './run-finish';
import { restoreJob } from './step-table';
import type { RunView } from './types';

// The restore state machine, a job of kind `restore` (lib/jobs). Steps run in the order of
// plan.ts's ORDER (step-table.ts); each one is recorded (view + one audit row) as a job step
// (run-context.ts). The survivor's
// lock is taken only in the `lock` step (run-lock.ts) and always released in the finally below,
// by UNLOCK TABLES or by dropping the session.

export type { AuditSink, RunOptions } from './run-context';

export const DEFAULT_LEASE_MS = 30_000;

export async function runRestore(o: RunOptions): Promise<RunView> {
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const view = await planRun({
    list: o.list,
    kind: o.kind,
    procedure: o.procedure,
    target: o.target,
    actor: o.actor,
    leaseMs,
    runId: o.runId,
    checksumInLock: o.checksumInLock,
  });
  const run = new RunContext(o, view, leaseMs);
  // The heartbeat, like every save, never writes to the locked survivor (it would wait for the
  // lock). The lock windows last tens of milliseconds at a million registrations (the restore
  // benchmarks; bounded by the lease), far less than the staleness bound (lib/jobs/interrupted.ts).
  const jobs = tableStore(o.list);
  const store = { load: jobs.load, touch: async (id: string) => (run.lock ? true : jobs.touch(id)) };
  track({ jobId: o.runId, kind: restoreJob.kind, store });
  publish(o.runId, structuredClone(view));
  try {
    const v = await execute(run);
    ended(o.runId, structuredClone(v));
    return v;
  } catch (err) {
    ended(o.runId);
    throw err;
  }
}

async function execute(run: RunContext): Promise<RunView> {
  const { view, leaseMs } = run;
  const { list } = run.o;
  [run.t, run.s] = await Promise.all([
    nodeCtx({ list, name: view.target }),
    nodeCtx({ list, name: view.survivor }),
  ]);
  view.message = `Restoring ${view.target} from ${view.survivor} (${view.procedure} procedure).`;
  await run.record(
    'restore.start',
    null,
    'ok',
    `${view.kind} of ${view.target}, survivor ${view.survivor}, ${view.procedure} procedure, lease ${leaseMs} ms`,
  );
  try {
    await runSteps({
      kind: restoreJob,
      ctx: run,
      order: view.steps.map((st) => st.id),
      runOne: async (st) => {
        await st.run(run);
      },
    });
    settle(run, undefined);
  } catch (err) {
    settle(run, err);
  } finally {
    await release(run);
  }
  await finish(run);
  return view;
}
