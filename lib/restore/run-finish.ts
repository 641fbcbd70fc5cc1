import 'server-only';
import { AppError, publicError } from '@/lib/errors';
import { explainMismatch, waitFor } from './catch-up';
import { waitTarget } from './gtid';
import { positions } from './node-io';
import type { RunContext } from './run-context';
import { unlock } from './run-lock';

// The end of a run, success or not: the lock is released first (always), held-back audit rows
// are written, a failed verification gets its differing rows, and the outcome is stored.

export function settle(run: RunContext, err: unknown): void {
  const { view } = run;
  if (err === undefined) {
    view.status = 'succeeded';
    view.phase = 'done';
    view.message = `${view.target} is active again; the survivor was read-locked for ${view.lockWindowMs} ms.`;
    return;
  }
  const aborted = err instanceof AppError && err.code === 'conflict:state';
  view.status = aborted ? 'aborted' : 'failed';
  view.message = run.lock?.expired
    ? `The ${run.leaseMs} ms lease ran out: the survivor unlocked itself and the run stopped.`
    : publicError(err).message;
  for (const s of view.steps) if (s.status === 'pending') s.status = 'skipped';
}

/** Runs in the finally of the run: nothing here may leave the survivor locked. */
export async function release(run: RunContext): Promise<void> {
  await unlock(run);
  run.view.finishedAt = Date.now();
  run.view.lockLeaseEndsAt = null;
  await run.flushAudit();
}

export async function finish(run: RunContext): Promise<void> {
  const { view } = run;
  if (view.verify && !view.verify.ok && view.verify.diffs.length === 0) await fillDiffs(run);
  await run.record(
    'restore.finish',
    null,
    view.status === 'succeeded' ? 'ok' : 'failed',
    `${view.status}: ${view.message}`,
  );
  await run.persist();
  run.emit();
}

/** After the unlock: lets the target apply what it can, then lists the rows that differ. */
async function fillDiffs(run: RunContext): Promise<void> {
  const { t, s, view } = run;
  try {
    const sp = await positions(s);
    await waitFor({
      target: t,
      pos: waitTarget({ survivor: sp.binlog, target: (await positions(t)).binlog }),
      seconds: 3,
    });
    view.verify = await explainMismatch({ target: t, survivor: s, verify: view.verify! });
  } catch (err) {
    view.warnings.push(`could not list the differing rows: ${publicError(err).message}`);
  }
}
