'use server';

import { z } from 'zod';
import type { ActionState } from '@/lib/action-state';
import { validatedAction } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { chosenCluster, clusterNamed, clusters, connectionListOf, inCluster } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';
import { wizardContext } from '@/lib/wizard/app-context';
import { applyPreflightFixes, createRun, teardown } from '@/lib/wizard/operations';
import { startStep } from '@/lib/wizard/runner';
import { STEP_TITLES, STEPS } from '@/lib/wizard/types';

// Server actions of the replication wizard: each starts one lib call; long steps continue in
// the background and the page follows them by polling /replication/state. Each form names the
// page's cluster (`cluster`, the home cluster when absent; unknown: refused, nothing runs).

async function stateNode(cluster?: string): Promise<string> {
  return (await connectionListOf(chosenCluster(cluster))).active()?.handle.name ?? 'none';
}

const ADDR_RE = /^([A-Za-z0-9.:-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/;

export const createRunAction = validatedAction({
  role: 'admin',
  action: 'wizard.start',
  schema: z.record(z.string(), z.string()).superRefine((form, ctx) => {
    if (!clusterField.safeParse(form.cluster).success)
      ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'Not a cluster name.' });
  }),
  // With one cluster the row names no target, as before; with more, the run's cluster.
  target: (form) => (clusters().length > 1 ? inCluster('new run', form.cluster || undefined) : ''),
  run: async (form, { user }) => {
    const cluster = chosenCluster(form.cluster || undefined);
    const chosen = clusterNamed(cluster).nodes.filter((n) => form[`node_${n.name}`] === 'on');
    const fields: Record<string, string[]> = {};
    if (chosen.length < 2) fields.nodes = ['Pick at least two nodes.'];
    const nodes = chosen.map((n) => {
      const raw = (form[`addr_${n.name}`] ?? '').trim() || `${n.host}:${n.port}`;
      const m = ADDR_RE.exec(raw);
      if (!m || Number(m[2]) > 65535) fields[`addr_${n.name}`] = ['Use host:port, e.g. 10.0.0.5:3306.'];
      return { name: n.name, replicationHost: m?.[1] ?? n.host, replicationPort: Number(m?.[2] ?? n.port) };
    });
    if (Object.keys(fields).length)
      throw new AppError('bad_request:input', 'Check the highlighted fields.', { fields });
    const ctx = await wizardContext({ actor: user.actor, cluster });
    const run = await createRun({ ctx, nodes });
    await startStep({ ctx, runId: run.runId, step: 'nodes' });
    return {
      status: 'saved',
      message: `Wizard started for ${nodes.map((n) => n.name).join(', ')}.`,
      node: await stateNode(cluster),
    };
  },
});

export const startStepAction = validatedAction({
  role: 'admin',
  action: 'wizard.step.start',
  schema: z.object({
    runId: z.string().uuid(),
    step: z.enum(STEPS),
    mode: z.enum(['copy', 'operator', 'identical']).optional(),
    cluster: clusterField,
  }),
  target: (i) => inCluster(`run ${i.runId} step ${i.step}`, i.cluster),
  run: async (input, { user }): Promise<ActionState> => {
    await startStep({
      ctx: await wizardContext({ actor: user.actor, cluster: input.cluster }),
      runId: input.runId,
      step: input.step,
      input: input.mode ? { mode: input.mode } : {},
    });
    return {
      status: 'saved',
      message: `${STEP_TITLES[input.step]} started.`,
      node: await stateNode(input.cluster),
    };
  },
});

export const applyFixAction = validatedAction({
  role: 'admin',
  action: 'wizard.preflight.apply.request',
  schema: z.object({
    runId: z.string().uuid(),
    node: z.string().max(32).optional(),
    checkId: z.string().max(32).optional(),
    cluster: clusterField,
  }),
  target: (i) => inCluster(`run ${i.runId} ${i.node ?? 'all nodes'} ${i.checkId ?? 'all fixes'}`, i.cluster),
  run: async (input, { user }): Promise<ActionState> => {
    const ctx = await wizardContext({ actor: user.actor, cluster: input.cluster });
    const { applied } = await applyPreflightFixes({
      ctx,
      runId: input.runId,
      ...(input.node ? { node: input.node } : {}),
      ...(input.checkId ? { checkId: input.checkId } : {}),
    });
    return {
      status: 'saved',
      message: applied ? `Applied ${applied} fix(es) and checked again.` : 'Nothing to apply; checked again.',
      node: await stateNode(input.cluster),
    };
  },
});

export const teardownAction = validatedAction({
  role: 'admin',
  action: 'wizard.teardown.request',
  schema: z.object({
    runId: z.string().uuid(),
    confirm: z.literal('on', { message: 'Tick the box to confirm.' }),
    cluster: clusterField,
  }),
  target: (i) => inCluster(`run ${i.runId}`, i.cluster),
  run: async (input, { user }): Promise<ActionState> => {
    await teardown({
      ctx: await wizardContext({ actor: user.actor, cluster: input.cluster }),
      runId: input.runId,
    });
    return {
      status: 'saved',
      message: 'Replication stopped and reset on every node. Run the initial-data step again.',
      node: await stateNode(input.cluster),
    };
  },
});
