import 'server-only';
import { randomUUID } from 'node:crypto';
import { audit } from '@/lib/audit/log';
import { connectionListOf, homeCluster, isFailedOver } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { AppError } from '@/lib/errors';
import { defineJobKind } from '@/lib/jobs/kinds';
import { liveJob } from '@/lib/jobs/registry';
import { newJob, runJob, type SimpleJob } from '@/lib/jobs/run';
import { type JobRecord, tableStore } from '@/lib/jobs/store';
import { copyLocations, copySubscribers, countPresent, deleteRows } from './copy';
import { changeMap, firstStageOwner, reloadFirstStages } from './map';
import { aorKey } from './placement';
import { type Plan, planChange } from './planner';

// An online move (issue 14), a job of kind `shards.move` (lib/jobs) stored on the home
// cluster. Every phase is a step, idempotent, recorded when it ends, so a console that
// restarts runs the same move on from the first phase not done:
//   pin      overrides user -> source, marked moving (edits wait; later map edits cannot move them)
//   copy     subscriber and live location rows to the target
//   flip     overrides user -> target; every first stage reloads and is asked where they go now
//   catchup  after in-flight transactions at the source ended, its newer location rows again
//   verify   the target holds every moved subscriber
//   commit   the new ranges as a map version; the move's pins are dropped (single-user moves keep theirs)
//   cleanup  the source's rows removed

export const PHASES = ['pin', 'copy', 'flip', 'catchup', 'verify', 'commit', 'cleanup', 'done'] as const;
export type Phase = (typeof PHASES)[number];

export const MOVE_KIND = 'shards.move';

export interface MoveRow {
  moveId: string;
  status: 'running' | 'failed' | 'done';
  phase: Phase;
  plan: Plan;
  detail: string;
}

const store = async () => tableStore(await connectionListOf(homeCluster()));

function rowOf(rec: JobRecord): MoveRow {
  const job = rec as SimpleJob<Plan>;
  const phase = PHASES.find((p) => p === 'done' || job.state.steps[p]?.status !== 'done') ?? 'done';
  return {
    moveId: rec.jobId,
    status: rec.status === 'succeeded' ? 'done' : rec.status === 'failed' ? 'failed' : 'running',
    phase,
    plan: job.state.data as Plan,
    detail:
      rec.status === 'failed'
        ? `${phase}: ${rec.detail}`
        : (job.state.steps[PHASES[PHASES.indexOf(phase) - 1] ?? '']?.detail ?? ''),
  };
}

export async function getMove(moveId: string): Promise<MoveRow | undefined> {
  const rec = await (await store()).load(moveId);
  return rec?.kind === MOVE_KIND ? rowOf(rec) : undefined;
}

export async function unfinishedMoves(): Promise<MoveRow[]> {
  return (await (await store()).recent({ kind: MOVE_KIND, limit: 50 }))
    .filter((r) => r.status !== 'succeeded')
    .map(rowOf);
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
  await (await store()).save(
    newJob({
      jobId: moveId,
      kind: MOVE_KIND,
      target: `${g0?.source ?? ''} -> ${g0?.target ?? ''}`,
      createdBy: opts.actor,
      data: plan,
    }),
  );
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
  const jobs = await store();
  const rec = await jobs.load(moveId);
  if (rec?.kind !== MOVE_KIND) throw new AppError('not_found:resource', 'No such move.');
  const move = rowOf(rec);
  if (move.status === 'done') return move;
  if (liveJob(moveId)?.ended === false) throw new AppError('conflict:state', 'That move is still running.');
  await refuseIfFailedOver(move.plan);
  try {
    const end = await runJob({
      store: jobs,
      kind: moveJob,
      ctx: { plan: move.plan, moveId, actor },
      job: rec as SimpleJob,
      audit: (e) => audit({ ...e, actor }),
      resume: true,
      rethrow: true,
    });
    await audit({
      actor,
      action: 'shards.move.finish',
      target: moveId,
      outcome: 'ok',
      detail: `${move.plan.users} users moved`,
    });
    return rowOf(end);
  } catch (err) {
    const failed = await getMove(moveId).catch(() => undefined);
    await audit({
      actor,
      action: 'shards.move.finish',
      target: moveId,
      outcome: 'failed',
      detail: failed?.detail ?? move.phase,
    });
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

type MoveCtx = { plan: Plan; moveId: string; actor: string };

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

const moveJob = defineJobKind<MoveCtx>({
  kind: MOVE_KIND,
  interrupted: 'The console stopped during this move: resume it, it runs on from the phase it reached.',
  steps: PHASES.filter((p): p is Exclude<Phase, 'done'> => p !== 'done').map((id) => ({
    id,
    run: ({ plan, moveId, actor }: MoveCtx) => PHASE_RUN[id](plan, moveId, actor),
  })),
});
