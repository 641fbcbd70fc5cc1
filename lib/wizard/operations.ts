import 'server-only';
import { randomUUID } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { rollbackSteps } from '@/lib/jobs/kinds';
import type { WizardContext } from './context';
import { createIO } from './io';
import { applyFixes } from './preflight';
import { failureOf, isBusy, startStep } from './runner';
import { STEP_FNS, type StepInput, wizardJob } from './steps';
import type { LogEntry, RunState, StepId } from './types';

// What the wizard does besides running a step: start a run, apply preflight fixes, tear down,
// and preview a step's statements. Each is audited (a preview changes nothing).

/** Apply the dynamic preflight fixes, then check again. */
export async function applyPreflightFixes({
  ctx,
  runId,
  node,
  checkId,
}: {
  ctx: WizardContext;
  runId: string;
  node?: string;
  checkId?: string;
}): Promise<{ applied: number; log: LogEntry[] }> {
  const run = await ctx.store.get(runId);
  if (run?.status !== 'open')
    throw new AppError('conflict:state', 'This wizard run is closed; start a new one.');
  if (isBusy(runId)) throw new AppError('conflict:state', 'A step is still running.');
  const io = createIO({ dryRun: false });
  let applied = 0;
  try {
    applied = await applyFixes({ ctx, run, io, ...(node ? { node } : {}), ...(checkId ? { checkId } : {}) });
  } finally {
    const detail = `${applied} fix(es): ${io.log
      .filter((l) => l.outcome !== 'planned')
      .map((l) => `${l.node}: ${l.sql}`)
      .join('; ')}`;
    await ctx.audit({
      actor: ctx.actor,
      action: 'wizard.preflight.apply',
      target: `run ${runId}`,
      outcome: io.log.some((l) => l.outcome === 'failed') ? 'failed' : 'ok',
      detail,
    });
  }
  const changed = [
    ...new Set(
      io.log.filter((l) => l.outcome === 'ok' && /^SET (GLOBAL|PERSIST)/i.test(l.sql)).map((l) => l.node),
    ),
  ];
  if (changed.length) ctx.onGlobalsChanged?.(changed);
  await startStep({ ctx, runId, step: 'preflight', wait: true });
  return { applied, log: io.log };
}

/** The job's rollback (STOP SLAVE; RESET SLAVE ALL on every node); the steps from the data copy on start over. */
export async function teardown({ ctx, runId }: { ctx: WizardContext; runId: string }): Promise<LogEntry[]> {
  const run = await ctx.store.get(runId);
  if (!run) throw new AppError('not_found:resource', 'No such wizard run.');
  if (isBusy(runId)) throw new AppError('conflict:state', 'A step is still running.');
  const io = createIO({ dryRun: false });
  let outcome: 'ok' | 'failed' = 'failed';
  try {
    await rollbackSteps({ kind: wizardJob, ctx: { ctx, run, io, input: {} }, only: ['directions'] });
    outcome = 'ok';
  } finally {
    await ctx.audit({
      actor: ctx.actor,
      action: 'wizard.teardown',
      target: `run ${runId}`,
      outcome,
      detail: io.log.map((l) => `${l.node}: ${l.sql}`).join('; '),
    });
  }
  await ctx.store.updateRun({
    runId,
    update: (r) => ({
      ...r,
      status: 'open',
      steps: {
        ...r.steps,
        data: { status: 'pending', log: [] },
        directions: { status: 'pending', log: [] },
        verify: { status: 'pending', log: [] },
        harden: { status: 'pending', log: [] },
      },
    }),
  });
  return io.log;
}

/** The statements a step would run, computed by the step itself with writes held back. */
export async function previewStep({
  ctx,
  runId,
  step,
  input = {},
}: {
  ctx: WizardContext;
  runId: string;
  step: StepId;
  input?: StepInput;
}): Promise<{ log: LogEntry[]; error?: string }> {
  const run = await ctx.store.get(runId);
  if (!run) throw new AppError('not_found:resource', 'No such wizard run.');
  const io = createIO({ dryRun: true });
  try {
    await STEP_FNS[step]({ ctx, run, io, input });
    return { log: io.log.filter((l) => l.outcome === 'planned' || l.sql.startsWith('--')) };
  } catch (err) {
    return { log: io.log.filter((l) => l.outcome === 'planned'), error: failureOf(err).message };
  }
}

export async function createRun({
  ctx,
  nodes,
}: {
  ctx: WizardContext;
  nodes: RunState['nodes'];
}): Promise<RunState> {
  if (nodes.length < 2)
    throw new AppError('bad_request:input', 'Pick at least two nodes.', {
      fields: { nodes: ['Pick at least two nodes.'] },
    });
  const run = await ctx.store.create({ runId: randomUUID(), nodes, createdBy: ctx.actor });
  await ctx.audit({
    actor: ctx.actor,
    action: 'wizard.create',
    target: `run ${run.runId}`,
    outcome: 'ok',
    detail: `nodes ${nodes.map((n) => `${n.name} (${n.replicationHost}:${n.replicationPort})`).join(', ')}`,
  });
  return run;
}
