import 'server-only';
import { catchUp } from './catch-up';
import { onCtx } from './node-io';
import { ReadLock } from './read-lock';
import type { RunContext } from './run-context';
import { semiSyncBack } from './run-switch';

// Steps c and g: taking the survivor's read-lock (as late and as briefly as possible) and
// releasing it. The release also runs from the run's finally, whatever failed.

export async function lockStep(run: RunContext): Promise<void> {
  const { t, s, o, view } = run;
  // Everything that can be prepared is, before FTWRL: the lock session is connected, both
  // pools hold a warm connection, the dialects are known.
  const lock = await ReadLock.prepare({
    list: s.list,
    node: s.name,
    leaseMs: run.leaseMs,
    onLeaseExpired: () => run.emit(),
  });
  try {
    await Promise.all([onCtx(t, 'SELECT 1'), onCtx(s, 'SELECT 1')]);
    // The steps since catch-up (precheck, blockers) let the survivor run ahead again: close
    // that gap while it still takes writes, so the final wait under the lock is a few events.
    if (o.procedure === 'sipha')
      await catchUp({
        target: t,
        survivor: s,
        timeoutMs: 30_000,
        onGap: (gap) => {
          view.gap = { ...gap, initial: Math.max(gap.initial, view.gap?.initial ?? 0) };
        },
      });
  } catch (err) {
    lock.destroy(); // never acquired: only the prepared session to drop
    throw err;
  }
  // step() persists the run first: the last write to the survivor before it is locked.
  await run.step('lock', s.name, async () => {
    await lock.acquire();
    run.lock = lock;
    view.lockLeaseEndsAt = lock.leaseEndsAt;
    const row = await lock.finalPosition(s.dialect.gtidPositions().sql);
    run.survivorPos = String(row.gtid_binlog_pos ?? row.gtid_executed ?? '').replace(/\s/g, '');
    run.emit();
    o.onLocked?.();
    if (o.testHoldMs) await new Promise((r) => setTimeout(r, o.testHoldMs));
    return `${s.name} read-locked at ${run.survivorPos}`;
  });
}

/** Releases the survivor's lock if this run holds it; records the measured window. */
export async function unlock(run: RunContext): Promise<void> {
  const { lock, view } = run;
  if (!lock) return;
  const unlockStep = view.steps.find((s) => s.id === 'unlock');
  const window = await lock.release();
  run.lock = null;
  // The sipha procedure's first, brief lock (the snapshot step) counts too.
  view.lockWindowMs = window === null ? view.lockWindowMs : window + (view.snapshot?.lockMs ?? 0);
  if (unlockStep && unlockStep.status !== 'done') {
    unlockStep.status = 'done';
    unlockStep.detail = `${view.survivor} unlocked after ${window} ms${lock.expired ? ' (lease expired)' : ''}`;
  }
  // The switch turned the target active: now the survivor's semi-sync wait can come back.
  const switched = view.steps.find((s) => s.id === 'switch')?.status === 'done';
  if (switched && view.status !== 'failed' && view.status !== 'aborted') await semiSyncBack(run);
}
