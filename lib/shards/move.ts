import 'server-only';
import { randomUUID } from 'node:crypto';
import { audit } from '@/lib/audit/log';
import { connectionListOf, homeCluster, isFailedOver } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';
import { runsElsewhere } from '@/lib/jobs/interrupted';
import type { JobKind } from '@/lib/jobs/kinds';
import { liveJob, PROCESS_ID } from '@/lib/jobs/registry';
import { elsewhere, newJob, runJob, type SimpleJob } from '@/lib/jobs/run';
import { tableStore } from '@/lib/jobs/store';
import { readMap } from './map';
import { MOVE_KIND, type MoveCtx, moveJob } from './move-phases';
import { rollbackJob } from './move-rollback';
import { isRollback, type MoveRow, type MoveState, rowOf } from './move-view';
import { type Plan, planChange } from './planner';

// Online moves (issue 14): a job of kind `shards.move` stored on the home cluster, its phases
// in move-phases.ts, its rollback in move-rollback.ts, what the page shows in move-view.ts.
// Start, resume and roll back are here, each audited (start and end rows; one row per step
// through the job runner).

export type { MoveRow } from './move-view';

const store = async () => tableStore(await connectionListOf(homeCluster()));

async function load(moveId: string): Promise<SimpleJob<Plan>> {
  const rec = await (await store()).load(moveId);
  if (rec?.kind !== MOVE_KIND) throw new AppError('not_found:resource', 'No such move.');
  return rec as SimpleJob<Plan>;
}

export async function getMove(moveId: string): Promise<MoveRow | undefined> {
  const rec = await (await store()).load(moveId);
  return rec?.kind === MOVE_KIND ? rowOf(rec as SimpleJob<Plan>, await readMap()) : undefined;
}

/** The newest moves, newest first, whatever their state. */
export async function recentMoves({ limit }: { limit: number }): Promise<MoveRow[]> {
  const recs = await (await store()).recent({ kind: MOVE_KIND, limit });
  if (!recs.length) return [];
  const map = await readMap();
  return recs.map((r) => rowOf(r as SimpleJob<Plan>, map));
}

/** Moves neither done nor rolled back, newest first. */
export async function unfinishedMoves(): Promise<MoveRow[]> {
  return (await recentMoves({ limit: 50 })).filter((m) => m.status !== 'done' && m.status !== 'rolled_back');
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
    throw new AppError('conflict:state', 'Another move has not finished; resume it or roll it back first.');
  const plan = await planChange(opts.change);
  await refuseIfFailedOver(plan);
  const moveId = randomUUID();
  const g0 = plan.groups[0];
  const job = newJob({
    jobId: moveId,
    kind: MOVE_KIND,
    target: `${g0?.source ?? ''} -> ${g0?.target ?? ''}`,
    createdBy: opts.actor,
    data: plan,
  });
  await (await store()).save(job);
  await audit({
    actor: opts.actor,
    action: 'shards.move.start',
    target: moveId,
    outcome: 'ok',
    detail: `${plan.users} users, ${plan.registrations} live registrations`,
  });
  return rowOf(job, await readMap());
}

/**
 * Starts the steps of `kind` on the move (resuming past those recorded done) and returns once
 * this process runs it, so the page shows it as running at once; `done` ends with the move.
 */
async function launch(
  rec: SimpleJob<Plan>,
  kind: JobKind<MoveCtx>,
  actor: string,
  action: string,
): Promise<{ done: Promise<MoveRow> }> {
  const moveId = rec.jobId;
  const plan = rec.state.data as Plan;
  if (liveJob(moveId)?.ended === false) throw new AppError('conflict:state', 'That move is still running.');
  if (runsElsewhere(rec)) throw elsewhere(rec);
  await refuseIfFailedOver(plan);
  const jobs = await store();
  const ran = runJob({
    store: jobs,
    kind,
    ctx: { plan, moveId, actor },
    job: rec,
    audit: (e) => audit({ ...e, actor }),
    resume: true,
    rethrow: true,
  });
  const done = ran.then(
    async (end) => {
      await audit({ actor, action, target: moveId, outcome: 'ok', detail: `${plan.users} users` });
      return rowOf(end as SimpleJob<Plan>, await readMap());
    },
    async (err) => {
      const failed = await getMove(moveId).catch(() => undefined);
      await audit({ actor, action, target: moveId, outcome: 'failed', detail: failed?.detail ?? '' });
      throw err;
    },
  );
  return { done };
}

/** Runs (or resumes) a move; returns once it runs here. A failure leaves it at its phase. */
export async function launchMove(moveId: string, actor: string): Promise<{ done: Promise<MoveRow> }> {
  const rec = await load(moveId);
  const row = rowOf(rec, await readMap());
  if (row.status === 'done') return { done: Promise.resolve(row) };
  if (isRollback(rec))
    throw new AppError('conflict:state', 'A rollback of this move has begun: roll it back to its end.');
  return launch(rec, moveJob, actor, 'shards.move.finish');
}

/** Runs (or resumes) a move to its end. */
export async function runMove(moveId: string, actor: string): Promise<MoveRow> {
  return (await launchMove(moveId, actor)).done;
}

/** Why a move cannot be rolled back, or null when it can. */
export function rollbackRefusal(row: MoveRow): string | null {
  if (row.status === 'done' || row.status === 'rolled_back') return 'The move has ended.';
  if (row.inProgress) return 'The move is running; wait for it to stop.';
  if (row.elsewhere) return `Another console process (${row.elsewhere}) runs the move; wait for it to stop.`;
  if (row.committed)
    return `The new map was committed: the users already belong to ${[...new Set(row.plan.groups.map((g) => g.target))].join(', ')}. Resume the move to finish it (it removes the old rows); to undo it, plan a move back.`;
  return null;
}

/** Rolls back a move that has not committed; returns once it runs here. */
export async function launchRollback(moveId: string, actor: string): Promise<{ done: Promise<MoveRow> }> {
  const rec = await load(moveId);
  const why = rollbackRefusal(rowOf(rec, await readMap()));
  if (why) throw new AppError('conflict:state', why);
  // Marked first: from now on the move reads as a rollback (a console killed before its first
  // step offers only the rollback again, never a resume of the forward phases). Under the row
  // lock: another console may have resumed it meanwhile. The mark takes the row for this process
  // (its write refreshes the row's time, which must not read as the dead console's).
  const jobs = await store();
  const marked = (await jobs.update(moveId, (r) => {
    if (runsElsewhere(r)) throw elsewhere(r);
    const state = r.state as MoveState;
    return { ...r, owner: PROCESS_ID, state: { ...state, rollback: true } satisfies MoveState };
  })) as SimpleJob<Plan>;
  await audit({
    actor,
    action: 'shards.move.rollback.start',
    target: moveId,
    outcome: 'ok',
    detail: `${(rec.state.data as Plan).users} users`,
  });
  return launch(marked, rollbackJob, actor, 'shards.move.rollback.finish');
}

export async function rollbackMove(moveId: string, actor: string): Promise<MoveRow> {
  return (await launchRollback(moveId, actor)).done;
}
