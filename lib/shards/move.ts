import 'server-only';
import { randomUUID } from 'node:crypto';
import { audit } from '@/lib/audit/log';
import { connectionListOf, homeCluster, isFailedOver } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { AppError } from '@/lib/errors';
import { copyLocations, copySubscribers, countPresent, deleteRows } from './copy';
import { changeMap, firstStageOwner, reloadFirstStages } from './map';
import { aorKey } from './placement';
import { type Plan, planChange } from './planner';
import { shardDb } from './tables';

// An online move (issue 14). Every phase is idempotent and the phase reached is stored with the
// move on the home cluster, so a console that restarts runs the same move on from there:
//   pin      overrides user -> source, marked moving (edits wait; later map edits cannot move them)
//   copy     subscriber and live location rows to the target
//   flip     overrides user -> target; every first stage reloads and is asked where they go now
//   catchup  after in-flight transactions at the source ended, its newer location rows again
//   verify   the target holds every moved subscriber
//   commit   the new ranges as a map version; the move's pins are dropped (single-user moves keep theirs)
//   cleanup  the source's rows removed

export const PHASES = ['pin', 'copy', 'flip', 'catchup', 'verify', 'commit', 'cleanup', 'done'] as const;
export type Phase = (typeof PHASES)[number];

export interface MoveRow {
  moveId: string;
  status: 'running' | 'failed' | 'done';
  phase: Phase;
  plan: Plan;
  detail: string;
}

const home = async () => connectionListOf(homeCluster());

export async function getMove(moveId: string): Promise<MoveRow | undefined> {
  const { value } = await (await home()).read((db) =>
    shardDb(db).selectFrom('sipha_shard_move').selectAll().where('move_id', '=', moveId).executeTakeFirst(),
  );
  if (!value) return undefined;
  return {
    moveId,
    status: value.status as MoveRow['status'],
    phase: value.phase as Phase,
    plan: JSON.parse(value.plan),
    detail: value.detail,
  };
}

export async function unfinishedMoves(): Promise<MoveRow[]> {
  const { value } = await (await home()).read((db) =>
    shardDb(db).selectFrom('sipha_shard_move').select('move_id').where('status', '!=', 'done').execute(),
  );
  return (await Promise.all(value.map((r) => getMove(r.move_id)))).filter((m): m is MoveRow => !!m);
}

async function save(moveId: string, set: { status?: string; phase?: Phase; detail?: string }) {
  await (await home()).write({
    run: (db) =>
      shardDb(db)
        .updateTable('sipha_shard_move')
        .set({ ...set, updated_at: new Date() })
        .where('move_id', '=', moveId)
        .execute(),
    verify: async () => undefined,
  });
}

async function refuseIfFailedOver(plan: Plan): Promise<void> {
  for (const g of plan.groups)
    for (const c of [g.source, g.target])
      if (isFailedOver(await connectionListOf(c)))
        throw new AppError('conflict:state', `Cluster ${c} is failed over; restore it before moving users.`);
}

/** Plans the change from the real rows and records the move; run it with runMove. */
export async function startMove(opts: {
  change: Parameters<typeof planChange>[0];
  actor: string;
}): Promise<MoveRow> {
  if ((await unfinishedMoves()).length)
    throw new AppError('conflict:state', 'Another move has not finished; resume or finish it first.');
  const plan = await planChange(opts.change);
  await refuseIfFailedOver(plan);
  const moveId = randomUUID();
  const g0 = plan.groups[0];
  await (await home()).write({
    run: (db) =>
      shardDb(db)
        .insertInto('sipha_shard_move')
        .values({
          move_id: moveId,
          source: g0?.source ?? '',
          target: g0?.target ?? '',
          status: 'running',
          phase: 'pin',
          plan: JSON.stringify(plan),
          created_by: opts.actor,
        })
        .execute(),
  });
  await audit({
    actor: opts.actor,
    action: 'shards.move.start',
    target: moveId,
    outcome: 'ok',
    detail: `${plan.users} users, ${plan.registrations} live registrations`,
  });
  return { moveId, status: 'running', phase: 'pin', plan, detail: '' };
}

/** Runs (or resumes) a move to the end; a failure leaves it at its phase, to be run again. */
export async function runMove(moveId: string, actor: string): Promise<MoveRow> {
  const move = await getMove(moveId);
  if (!move) throw new AppError('not_found:resource', 'No such move.');
  if (move.status === 'done') return move;
  await refuseIfFailedOver(move.plan);
  let phase = move.phase;
  try {
    while (phase !== 'done') {
      const detail = await PHASE_RUN[phase](move.plan, moveId, actor);
      phase = PHASES[PHASES.indexOf(phase) + 1]!;
      await save(moveId, { phase, status: phase === 'done' ? 'done' : 'running', detail });
    }
    await audit({
      actor,
      action: 'shards.move.finish',
      target: moveId,
      outcome: 'ok',
      detail: `${move.plan.users} users moved`,
    });
    return { ...move, status: 'done', phase };
  } catch (err) {
    const detail = `${phase}: ${(err as Error).message}`.slice(0, 1000);
    await save(moveId, { status: 'failed', detail }).catch(() => undefined);
    await audit({ actor, action: 'shards.move.finish', target: moveId, outcome: 'failed', detail });
    throw err;
  }
}

const pins = (plan: Plan, to: 'source' | 'target' | null) =>
  new Map(
    plan.groups.flatMap((g) => g.users.map((u): [string, string | null] => [aorKey(u), to ? g[to] : null])),
  );

async function publish(plan: Plan, change: Parameters<typeof changeMap>[0]): Promise<string> {
  const r = await changeMap(change);
  const { failed } = await reloadFirstStages();
  if (failed.length)
    throw new AppError('failed:internal', `First stage ${failed.join(', ')} did not reload the map.`);
  return `map version ${r.version}, ${plan.users} users`;
}

const PHASE_RUN: Record<
  Exclude<Phase, 'done'>,
  (plan: Plan, moveId: string, actor: string) => Promise<string>
> = {
  pin: (plan, moveId, actor) =>
    publish(plan, { overrides: pins(plan, 'source'), moveId, reason: `move ${moveId}: pin`, actor }),
  copy: async (plan) => {
    let n = 0;
    for (const g of plan.groups) {
      const [from, to] = [await connectionListOf(g.source), await connectionListOf(g.target)];
      n += await copySubscribers(from, to, g.users);
      await copyLocations(from, to, g.users);
    }
    return `${n} subscribers copied`;
  },
  flip: async (plan, moveId, actor) => {
    const out = await publish(plan, {
      overrides: pins(plan, 'target'),
      moveId,
      reason: `move ${moveId}: flip`,
      actor,
    });
    for (const f of getConfig().firstStages)
      for (const g of plan.groups)
        for (const u of g.users.slice(0, 20)) {
          const owner = await firstStageOwner(f.rpcUrl, u);
          if (owner !== g.target)
            throw new AppError('failed:internal', `${f.name} still routes ${aorKey(u)} to ${owner}.`);
        }
    return out;
  },
  catchup: async (plan) => {
    // A REGISTER that reached the source just before the flip ends within tm's 1 s fr_timer.
    await new Promise((r) => setTimeout(r, 2000));
    let n = 0;
    for (const g of plan.groups)
      n += await copyLocations(await connectionListOf(g.source), await connectionListOf(g.target), g.users);
    return `${n} registrations copied again`;
  },
  verify: async (plan) => {
    for (const g of plan.groups) {
      const n = await countPresent(await connectionListOf(g.target), g.users);
      if (n !== g.users.length)
        throw new AppError('failed:internal', `${g.target} holds ${n} of ${g.users.length} moved users.`);
    }
    return 'every moved user is on its target';
  },
  commit: (plan, moveId, actor) =>
    publish(plan, {
      ranges: plan.ranges,
      // Range moves: the ranges place the users now. Single-user moves keep their pin, no longer "moving".
      overrides: new Map([...pins(plan, null), ...plan.pins]),
      moveId: null,
      reason: `move ${moveId}: commit`,
      actor,
    }),
  cleanup: async (plan) => {
    let n = 0;
    for (const g of plan.groups) n += await deleteRows(await connectionListOf(g.source), g.users);
    return `${n} source rows removed`;
  },
};
