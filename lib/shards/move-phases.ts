import 'server-only';
import { connectionListOf } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { AppError } from '@/lib/errors';
import { defineJobKind } from '@/lib/jobs/kinds';
import { awaitReplicated, copyLocations, copySubscribers, countPresent, deleteRows } from './copy';
import { changeMap, firstStageOwner, reloadFirstStages } from './map';
import { aorKey } from './placement';
import type { Plan } from './planner';

// The phases of an online move (issue 14), each a step of the job kind `shards.move`, idempotent
// and recorded when it ends, so a console that restarts runs the same move on from the first
// phase not done:
//   pin      overrides user -> source, marked moving (edits wait; later map edits cannot move them)
//   copy     subscriber and live location rows to the target
//   flip     overrides user -> target; every first stage reloads and is asked where they go now
//   catchup  after in-flight transactions at the source ended, its newer location rows again
//   verify   the target holds every moved subscriber
//   commit   the new ranges as a map version; the move's pins are dropped (single-user moves keep theirs)
//   cleanup  the source's rows removed

export const PHASES = ['pin', 'copy', 'flip', 'catchup', 'verify', 'commit', 'cleanup'] as const;
export type Phase = (typeof PHASES)[number];

export const MOVE_KIND = 'shards.move';

export type MoveCtx = { plan: Plan; moveId: string; actor: string };

export const PHASE_WORDS: Record<Phase, string> = {
  pin: 'pin the users to their cluster',
  copy: 'copy their rows to the target',
  flip: 'switch the first stages to the target',
  catchup: 'copy registrations that arrived meanwhile',
  verify: 'verify the target holds every user',
  commit: 'commit the new ranges',
  cleanup: 'remove the rows from the source',
};

/** Overrides for every moving user: to its group's source, its target, or none (null). */
export const pins = (plan: Plan, to: 'source' | 'target' | null) =>
  new Map(
    plan.groups.flatMap((g) => g.users.map((u): [string, string | null] => [aorKey(u), to ? g[to] : null])),
  );

/** A new map version, then every first stage reloads it. */
export async function publish(plan: Plan, change: Parameters<typeof changeMap>[0]): Promise<string> {
  const r = await changeMap(change);
  const { failed } = await reloadFirstStages();
  if (failed.length)
    throw new AppError('failed:internal', `First stage ${failed.join(', ')} did not reload the map.`);
  return `map version ${r.version}, ${plan.users} users`;
}

/** Asks every first stage where a sample of each group's users goes; throws unless `side`. */
export async function checkFirstStages(plan: Plan, side: 'source' | 'target'): Promise<void> {
  for (const f of getConfig().firstStages)
    for (const g of plan.groups)
      for (const u of g.users.slice(0, 20)) {
        const owner = await firstStageOwner(f.rpcUrl, u);
        if (owner !== g[side])
          throw new AppError('failed:internal', `${f.name} still routes ${aorKey(u)} to ${owner}.`);
      }
}

/** A REGISTER relayed just before a flip is answered within the first stage's 3 s REGISTER timer. */
export const settle = () => new Promise((r) => setTimeout(r, 3500));

const RUN: Record<Phase, (c: MoveCtx) => Promise<string>> = {
  pin: ({ plan, moveId, actor }) =>
    publish(plan, { overrides: pins(plan, 'source'), moveId, reason: `move ${moveId}: pin`, actor }),
  copy: async ({ plan }) => {
    let n = 0;
    for (const g of plan.groups) {
      const [from, to] = [await connectionListOf(g.source), await connectionListOf(g.target)];
      n += await copySubscribers(from, to, g.users);
      await copyLocations(from, to, g.users);
      // Every node the target's SIP servers read from must hold the users before the flip.
      await awaitReplicated(to, g.target);
    }
    return `${n} subscribers copied and replicated`;
  },
  flip: async ({ plan, moveId, actor }) => {
    const out = await publish(plan, {
      overrides: pins(plan, 'target'),
      moveId,
      reason: `move ${moveId}: flip`,
      actor,
    });
    await checkFirstStages(plan, 'target');
    return out;
  },
  catchup: async ({ plan }) => {
    await settle();
    let n = 0;
    for (const g of plan.groups) {
      const to = await connectionListOf(g.target);
      n += await copyLocations(await connectionListOf(g.source), to, g.users);
      await awaitReplicated(to, g.target);
    }
    return `${n} registrations copied again`;
  },
  verify: async ({ plan }) => {
    for (const g of plan.groups) {
      const n = await countPresent(await connectionListOf(g.target), g.users);
      if (n !== g.users.length)
        throw new AppError('failed:internal', `${g.target} holds ${n} of ${g.users.length} moved users.`);
    }
    return 'every moved user is on its target';
  },
  commit: ({ plan, moveId, actor }) =>
    publish(plan, {
      ranges: plan.ranges,
      // Range moves: the ranges place the users now. Single-user moves keep their pin, no longer "moving".
      overrides: new Map([...pins(plan, null), ...plan.pins]),
      moveId: null,
      reason: `move ${moveId}: commit`,
      actor,
    }),
  cleanup: async ({ plan }) => {
    let n = 0;
    for (const g of plan.groups) n += await deleteRows(await connectionListOf(g.source), g.users);
    return `${n} source rows removed`;
  },
};

export const moveJob = defineJobKind<MoveCtx>({
  kind: MOVE_KIND,
  interrupted:
    'The console stopped during this move: resume it (it runs on from the phase it reached) or, before its commit, roll it back.',
  steps: PHASES.map((id) => ({ id, run: (c: MoveCtx) => RUN[id](c) })),
});
