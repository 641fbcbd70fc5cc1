import 'server-only';
import { AppError } from '@/lib/errors';
import { defineJobKind } from '@/lib/jobs/kinds';
import { findBlockers } from './blockers';
import { catchUp, precheckSubscriber, verifyLocked, waitFor } from './catch-up';
import { waitTarget } from './gtid';
import { positions } from './node-io';
import { ORDER } from './plan';
import { ensureReplicating, ensureReverse } from './replicate';
import type { RunContext } from './run-context';
import { lockStep, unlock } from './run-lock';
import { switchOver } from './run-switch';
import { snapshotStep, verifyChunksStep, verifyDeltaLocked } from './run-verify-snapshot';
import { RESTORE_KIND } from './store';
import type { StepId } from './types';

// The step table: what each step of plan.ts's ORDER does, in the run's context, and the restore
// as a job kind (lib/jobs): the switch is the one step with an effect to verify after a console
// restart and to roll back (the fence state says whether it happened).

/** Every step, in the order of the full procedure (the paper's is a subset of it). */
const STEP_IDS: StepId[] = ORDER.sipha;

/** Whether the switch was made: the fence state, read fresh by the caller. */
function switched(run: RunContext): boolean {
  const { list } = run.o;
  const { view } = run;
  return view.kind === 'restore' ? !list.isFenced(view.target) : list.isFenced(view.survivor);
}

export const restoreJob = defineJobKind<RunContext>({
  kind: RESTORE_KIND,
  interrupted: 'The console stopped during this run: resume or roll back.',
  steps: STEP_IDS.map((id) => ({
    id,
    run: (run: RunContext) => runStep(run, id),
    ...(id === 'switch'
      ? {
          verify: async (run: RunContext) => switched(run),
          rollback: async (run: RunContext) => {
            if (!switched(run)) return null;
            const { list, actor } = run.o;
            const { view } = run;
            const why = `rollback of interrupted ${view.kind} ${view.runId.slice(0, 8)}`;
            if (view.kind === 'restore') {
              await list.setFenced(view.target, true, why, actor);
              return `${view.target} fenced again`;
            }
            await list.setFenced(view.survivor, false, why, actor);
            return `${view.survivor} unfenced again`;
          },
        }
      : {}),
  })),
});

export async function runStep(run: RunContext, id: StepId): Promise<void> {
  const { t, s, view } = run;
  switch (id) {
    case 'replicate':
      return run.step(id, t.name, async () => {
        const fwd = await ensureReplicating({ target: t, survivor: s, credentials: run.o.credentials });
        const back = await ensureReverse({ target: t, survivor: s, waitMs: 10_000 });
        if (back.includes('does not')) view.warnings.push(back);
        return `${fwd}; ${back}`;
      });
    case 'catch_up':
      return run.step(id, t.name, async () => {
        const g = await catchUp({
          target: t,
          survivor: s,
          timeoutMs: run.o.catchUpTimeoutMs ?? 600_000,
          onGap: (gap) => {
            view.gap = gap;
            run.emit();
          },
        });
        view.gap = g;
        return `${t.name} reached ${s.name}'s position ${g.survivor}`;
      });
    case 'precheck':
      return run.step(id, t.name, () => precheck(run));
    case 'blockers':
      return run.step(id, s.name, async () => {
        view.blockers = await findBlockers({ survivor: s, target: t });
        const n = view.blockers.length;
        return n === 0
          ? 'nothing would stall the lock'
          : `${n} session(s) listed below; the lease bounds any wait they cause`;
      });
    case 'snapshot':
      return run.step(id, s.name, () => snapshotStep(run));
    case 'verify_chunks':
      return run.step(id, t.name, () => verifyChunksStep(run));
    case 'lock':
      return lockStep(run);
    case 'final_wait':
      return run.step(id, t.name, async () => {
        const pos = waitTarget({ survivor: run.survivorPos, target: (await positions(t)).binlog });
        const seconds = run.requireLock().remainingMs() / 1000;
        if (!(await waitFor({ target: t, pos, seconds })))
          throw new AppError(
            'failed:database',
            `${t.name} did not reach ${run.survivorPos} before the lease ran out.`,
          );
        run.requireLock();
        return pos
          ? `${t.name} applied up to ${run.survivorPos}`
          : `${t.name} already had ${run.survivorPos}`;
      });
    case 'verify':
      return run.step(id, t.name, () => verify(run));
    case 'switch':
      await run.step(id, t.name, () => switchOver(run));
      if (run.o.testHoldAfterSwitchMs) await new Promise((r) => setTimeout(r, run.o.testHoldAfterSwitchMs));
      return;
    case 'unlock':
      return run.step(id, s.name, async () => {
        await unlock(run);
        return `${s.name} unlocked; read-lock window ${view.lockWindowMs} ms`;
      });
  }
}

/** Compares subscriber before any lock: a divergence stops the run with nothing changed. */
async function precheck(run: RunContext): Promise<string> {
  const r = await precheckSubscriber({ target: run.t, survivor: run.s });
  if (!r.ok) {
    run.view.verify = {
      ok: false,
      gtidSurvivor: '',
      gtidTarget: '',
      gtidOk: true,
      tables: [{ table: 'subscriber', survivor: null, target: null, equal: false }],
      diffs: r.diffs,
      diffsTruncated: r.truncated,
    };
    throw new AppError(
      'conflict:state',
      `${r.detail}: the run stopped before locking anything. Nothing was changed.`,
    );
  }
  return r.detail;
}

/** Step e, under the lock: GTID positions and table checksums equal, or abort (never delete). */
async function verify(run: RunContext): Promise<string> {
  const v = run.view.snapshot
    ? await verifyDeltaLocked(run)
    : await verifyLocked({
        target: run.t,
        survivor: run.s,
        survivorPos: run.survivorPos,
        timeoutMs: run.requireLock().remainingMs() + 500,
      });
  run.view.verify = v;
  run.requireLock();
  if (!v.ok) {
    const tables =
      v.tables
        .filter((x) => !x.equal)
        .map((x) => x.table)
        .join(', ') || 'tables equal';
    throw new AppError(
      'conflict:state',
      `Verification failed (${v.gtidOk ? '' : 'GTID positions differ; '}${tables}): aborted and unlocked. Nothing was deleted.`,
    );
  }
  if (run.view.snapshot)
    return `GTID ${v.gtidTarget} contains ${v.gtidSurvivor} and nothing else since the snapshot at ${run.view.snapshot.survivorPos}, where the tables were identical`;
  return `GTID ${v.gtidTarget} contains ${v.gtidSurvivor}; ${v.tables.map((x) => `${x.table} ${x.survivor}`).join(', ')} equal`;
}
