'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { clusters, connectionListOf, homeCluster } from '@/lib/clusters/registry';
import { logError } from '@/lib/errors';
import { launchMove, launchRollback, startMove } from '@/lib/shards/move';
import { type Plan, planChange } from '@/lib/shards/planner';
import { formatRanges, parseRanges } from '@/lib/shards/ranges-text';

// Planner preview and online moves (admin, audited by validatedAction). A move runs on in the
// background; the page follows it until it is done, with Resume and Roll back for a move that
// stopped (a failure, or a console restart).

const rangesSchema = z
  .object({ ranges: z.string().min(1, 'Write at least "* CLUSTER".').max(20_000) })
  .transform((v, ctx) => {
    const r = parseRanges(
      v.ranges,
      clusters().map((c) => c.name),
    );
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', path: ['ranges'], message: r.error });
      return z.NEVER;
    }
    return r;
  });

async function homeNode(): Promise<string> {
  return (await connectionListOf(homeCluster())).active()?.handle.name ?? 'none';
}

function summarise(plan: Plan, verb: string): string {
  const parts = plan.groups.map(
    (g) => `${g.source} → ${g.target}: ${g.users.length} users, ${g.registrations} live registrations`,
  );
  return `${plan.users} users and ${plan.registrations} live registrations ${verb}${parts.length ? ` (${parts.join('; ')})` : ''}.`;
}

export const previewAction = validatedAction({
  role: 'admin',
  action: 'shards.preview',
  schema: rangesSchema,
  target: (i) => formatRanges(i.ranges).replace(/\n/g, '; '),
  run: async (i) => ({
    status: 'saved',
    message: summarise(await planChange({ ranges: i.ranges }), 'would move'),
    node: await homeNode(),
  }),
});

export const moveRangesAction = validatedAction({
  role: 'admin',
  action: 'shards.move',
  schema: rangesSchema,
  target: (i) => formatRanges(i.ranges).replace(/\n/g, '; '),
  revalidate: '/shards',
  run: async (i, { user }) => {
    const move = await startMove({ change: { ranges: i.ranges }, actor: user.actor });
    const { done } = await launchMove(move.moveId, user.actor);
    void done.catch((e) => logError(`move ${move.moveId} stopped`, e));
    return {
      status: 'saved',
      message: `Move ${move.moveId.slice(0, 8)} started: ${summarise(move.plan, 'move')}`,
      node: await homeNode(),
    };
  },
});

const moveIdSchema = z.object({ moveId: z.string().regex(/^[0-9a-f-]{36}$/, 'Not a move id.') });

export const resumeMoveAction = validatedAction({
  role: 'admin',
  action: 'shards.move.resume',
  schema: moveIdSchema,
  target: (i) => i.moveId,
  revalidate: '/shards',
  run: async (i, { user }) => {
    const { done } = await launchMove(i.moveId, user.actor);
    void done.catch((e) => logError(`move ${i.moveId} stopped`, e));
    return { status: 'saved', message: `Move ${i.moveId.slice(0, 8)} resumed.`, node: await homeNode() };
  },
});

export const rollbackMoveAction = validatedAction({
  role: 'admin',
  action: 'shards.move.rollback',
  schema: moveIdSchema,
  target: (i) => i.moveId,
  revalidate: '/shards',
  run: async (i, { user }) => {
    const { done } = await launchRollback(i.moveId, user.actor);
    void done.catch((e) => logError(`rollback of move ${i.moveId} stopped`, e));
    return {
      status: 'saved',
      message: `Rolling back move ${i.moveId.slice(0, 8)}.`,
      node: await homeNode(),
    };
  },
});
