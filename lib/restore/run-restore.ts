import 'server-only';
import { nodeCtx } from './node-io';
import { planRun } from './plan';
import { RunContext, type RunOptions } from './run-context';
import { finish, release, settle } from './run-finish';
import { runStep } from './step-table';
import type { RunView } from './types';

// The restore state machine. Steps run in the order of plan.ts's ORDER (step-table.ts);
// each one is recorded (view + audit) before and after it runs (run-context.ts). The survivor's
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
  return execute(new RunContext(o, view, leaseMs));
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
    for (const st of view.steps) await runStep(run, st.id);
    settle(run, undefined);
  } catch (err) {
    settle(run, err);
  } finally {
    await release(run);
  }
  await finish(run);
  return view;
}
