import 'server-only';
import { connectionListOf } from '@/lib/clusters/registry';
import { defineJobKind } from '@/lib/jobs/kinds';
import { awaitReplicated, copyLocations, deleteRows } from './copy';
import { readMap } from './map';
import { checkFirstStages, type MoveCtx, pins, publish, settle } from './move-phases';
import { aorKey, place, routeTable } from './placement';
import type { Plan } from './planner';

// Rolling back a move that has not committed, as steps of their own (job kind
// `shards.move.rollback`, recorded in the move's job), so a rollback interrupted by a console
// restart runs on from its first step not done. Each step is idempotent:
//   repin     overrides user -> source again; every first stage reloads and is checked
//   copyback  once in-flight REGISTERs at the target ended, the target's newer location rows to
//             the source (registrations made there after the flip)
//   uncopy    the copied subscriber and location rows removed from the target
//   unpin     the pins dropped: the map's ranges (unchanged, the move never committed) place the
//             users on their source again; a user the ranges place elsewhere keeps a plain pin

export const ROLLBACK_STEPS = ['repin', 'copyback', 'uncopy', 'unpin'] as const;
export type RollbackStep = (typeof ROLLBACK_STEPS)[number];

export const ROLLBACK_KIND = 'shards.move.rollback';

const names = (plan: Plan, side: 'source' | 'target') =>
  [...new Set(plan.groups.map((g) => g[side]))].join(', ');

/** What each step of a rollback of this plan will do, in words, shown before it runs. */
export function rollbackWords(plan: Plan): Record<RollbackStep, string> {
  const [src, tgt] = [names(plan, 'source'), names(plan, 'target')];
  return {
    repin: `pin the ${plan.users} users to ${src} again in every first stage`,
    copyback: `copy to ${src} the registrations made at ${tgt} since the switch (the newer row wins)`,
    uncopy: `remove the copied subscriber and location rows of those users from ${tgt}`,
    unpin: `drop the pins: the current ranges place the users on ${src}, as before the move`,
  };
}

const RUN: Record<RollbackStep, (c: MoveCtx) => Promise<string>> = {
  repin: async ({ plan, moveId, actor }) => {
    const out = await publish(plan, {
      overrides: pins(plan, 'source'),
      moveId,
      reason: `move ${moveId}: roll back, pin to source`,
      actor,
    });
    await checkFirstStages(plan, 'source');
    return out;
  },
  copyback: async ({ plan }) => {
    await settle();
    let n = 0;
    for (const g of plan.groups) {
      const to = await connectionListOf(g.source);
      n += await copyLocations(await connectionListOf(g.target), to, g.users);
      // The source's SIP servers find them at their own node before the pins are dropped.
      await awaitReplicated(to, g.source);
    }
    return `${n} registrations copied back`;
  },
  uncopy: async ({ plan }) => {
    let n = 0;
    for (const g of plan.groups) n += await deleteRows(await connectionListOf(g.target), g.users);
    return `${n} copied rows removed`;
  },
  unpin: async ({ plan, moveId, actor }) => {
    const byRanges = routeTable((await readMap()).ranges);
    const overrides = new Map(
      plan.groups.flatMap((g) =>
        g.users.map((u): [string, string | null] => [
          aorKey(u),
          place(byRanges, u) === g.source ? null : g.source,
        ]),
      ),
    );
    return publish(plan, { overrides, moveId: null, reason: `move ${moveId}: rolled back`, actor });
  },
};

export const rollbackJob = defineJobKind<MoveCtx>({
  kind: ROLLBACK_KIND,
  interrupted:
    'The console stopped while this move was rolled back: roll back again, it runs on from its step.',
  steps: ROLLBACK_STEPS.map((id) => ({ id, run: (c: MoveCtx) => RUN[id](c) })),
});
