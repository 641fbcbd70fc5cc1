import 'server-only';
import { AppError } from '@/lib/errors';
import { withAdmins } from './admin';
import { runNodeConfigs, type StepArgs, type WizardContext } from './context';
import type { StepIO } from './io';
import { buildChecks, type CheckWithFix } from './preflight-checks';
import { readFacts } from './preflight-facts';
import type { Check, RunState } from './types';

// Step 2: per node checks with the reason and the fix. Reads only; "Apply" (applyFixes) runs
// the dynamic fixes, recomputed here on the server from fresh facts, never taken from the form.

export interface PreflightResult {
  checks: Check[];
  passed: boolean;
}

async function computeChecks({ ctx, run, io }: StepArgs): Promise<CheckWithFix[]> {
  const nodes = runNodeConfigs(ctx, run);
  return withAdmins(ctx, nodes, async (conns) => {
    const facts = [];
    for (const [i, n] of nodes.entries())
      facts.push(await readFacts({ c: conns.get(n.name)!, io, index: i + 1, database: nodes[0]!.database }));
    return buildChecks({
      facts,
      dialects: nodes.map((n) => conns.get(n.name)!.dialect),
      ring: nodes.length > 2,
    });
  });
}

const strip = ({ statements: _s, ...c }: CheckWithFix): Check => c;
export const blocking = (checks: Check[]) => checks.filter((c) => !c.ok && c.severity === 'error');

export async function runPreflight({ ctx, run, io }: StepArgs): Promise<PreflightResult> {
  const checks = (await computeChecks({ ctx, run, io })).map(strip);
  return { checks, passed: blocking(checks).length === 0 };
}

/** For the steps that change servers: refuse (changing nothing) while a blocking check fails. */
export async function requirePreflight({ ctx, run, io }: StepArgs): Promise<void> {
  const quiet = {
    ...io,
    read: (c: Parameters<StepIO['read']>[0], s: Parameters<StepIO['read']>[1]) =>
      io.read(c, s, { quiet: true }),
  };
  const failing = blocking((await computeChecks({ ctx, run, io: quiet })).map(strip));
  if (failing.length)
    throw new AppError(
      'conflict:state',
      `Preflight fails on ${failing.map((c) => `${c.node}: ${c.label}`).join('; ')}. Fix it in the Preflight step first; nothing was changed.`,
    );
}

/** Runs the dynamic fixes of the failing checks (optionally of one node / one check). */
export async function applyFixes({
  ctx,
  run,
  io,
  node,
  checkId,
}: {
  ctx: WizardContext;
  run: RunState;
  io: StepIO;
  node?: string;
  checkId?: string;
}): Promise<number> {
  const checks = await computeChecks({
    ctx,
    run,
    io: { ...io, read: (c, s) => io.read(c, s, { quiet: true }) },
  });
  const todo = checks.filter(
    (c) => !c.ok && c.statements?.length && (!node || c.node === node) && (!checkId || c.id === checkId),
  );
  if (todo.length === 0) return 0;
  await withAdmins(
    ctx,
    runNodeConfigs(ctx, run).filter((n) => todo.some((c) => c.node === n.name)),
    async (conns) => {
      for (const check of todo) for (const s of check.statements!) await io.exec(conns.get(check.node)!, s);
    },
  );
  return todo.length;
}
