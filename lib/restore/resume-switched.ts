import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError, publicError } from '@/lib/errors';
import { waitFor } from './catch-up';
import { checksumTables, compareChecksums } from './consistency';
import { waitTarget } from './gtid';
import { nodeCtx, onCtx, positions } from './node-io';
import { type AuditSink, RunContext } from './run-context';
import { finish } from './run-finish';
import { semiSyncBack } from './run-switch';
import type { RunView, StepId, VerifyView } from './types';

// Resuming a run whose console died after the `switch` step and before `unlock`. The lock died
// with the old console's session and the target is already active, so there is nothing to lock
// again: the tail is finished (read_only off, semi-sync back), the nodes are verified once more
// OUTSIDE a lock, and the run is stored as completed after the interruption. Its last stored
// state is from before the lock (nothing is written while the survivor is locked), so the
// steps in between are recorded for what they are: done by the old console, not measured.

const ATTEMPTS = 5;

export async function completeAfterSwitch({
  list,
  old,
  actor,
  audit,
  onProgress,
}: {
  list: ConnectionList;
  old: RunView;
  actor: string;
  audit?: AuditSink;
  onProgress?: (v: RunView) => void;
}): Promise<RunView> {
  const view: RunView = { ...structuredClone(old), status: 'running', lockLeaseEndsAt: null };
  const o = { list, kind: old.kind, procedure: old.procedure, target: old.target, actor, runId: old.runId };
  const run = new RunContext({ ...o, audit, onProgress }, view, 0);
  [run.t, run.s] = await Promise.all([
    nodeCtx({ list, name: view.target }),
    nodeCtx({ list, name: view.survivor }),
  ]);
  markDoneByOldConsole(view);
  await run.record(
    'restore.resume',
    null,
    'ok',
    `the console stopped after the switch: ${view.target} was already active and ${view.survivor}'s lock died with the old console; finishing without a lock`,
  );
  try {
    if (view.kind === 'restore') {
      for (const st of run.t.dialect.setReadOnly({ on: false })) await onCtx(run.t, st);
      await semiSyncBack(run);
    }
    await run.step('verify', view.target, () => verifyUnlocked(run));
    view.status = 'succeeded';
    view.phase = 'done';
    view.message = `Completed after an interruption: the old console stopped after the switch, so ${view.target} was already active and ${view.survivor}'s read-lock had died with it. Verified again without a lock; the lock window was not measured.`;
  } catch (err) {
    const aborted = err instanceof AppError && err.code === 'conflict:state';
    view.status = aborted ? 'aborted' : 'failed';
    view.message = `${view.target} is active (the switch had been made before the console stopped), but the check after the interruption failed: ${publicError(err).message}`;
  }
  view.finishedAt = Date.now();
  await finish(run);
  return view;
}

function markDoneByOldConsole(view: RunView): void {
  const before: Partial<Record<StepId, string>> = {
    lock: `${view.survivor} was read-locked by the old console`,
    final_wait: `done by the old console before the switch`,
    verify: `done by the old console under the lock before the switch`,
    switch: `made by the old console (the fence state shows it)`,
    unlock: `${view.survivor}'s lock died with the old console's session; window not measured`,
  };
  for (const s of view.steps) {
    const detail = before[s.id];
    if (detail && s.status !== 'done') {
      s.status = 'done';
      s.detail = detail;
      s.ms = null;
    }
  }
}

/**
 * Step e again, with writes going on: the target is the writer now and the survivor replicates
 * from it. Waits until the survivor holds the target's position, then compares checksums; a
 * write landing between the two CHECKSUM TABLEs can make one round differ, a real difference
 * differs every round.
 */
async function verifyUnlocked(run: RunContext): Promise<string> {
  const { t, s } = run;
  let v = await verifyRound(run);
  for (let i = 1; i < ATTEMPTS && !v.ok; i++) {
    await new Promise((r) => setTimeout(r, 200));
    v = await verifyRound(run);
  }
  run.view.verify = v;
  if (!v.ok) {
    const tables =
      v.tables
        .filter((x) => !x.equal)
        .map((x) => x.table)
        .join(', ') || 'no table';
    throw new AppError(
      'conflict:state',
      `Verification after the interruption failed (${v.gtidOk ? '' : `${s.name} did not reach ${t.name}'s position; `}${tables} differ, ${ATTEMPTS} rounds). Nothing was deleted.`,
    );
  }
  return `outside a lock: ${s.name} holds ${t.name}'s position ${v.gtidTarget}; ${v.tables.map((x) => `${x.table} ${x.survivor}`).join(', ')} equal`;
}

async function verifyRound({ t, s }: RunContext): Promise<VerifyView> {
  const tp = (await positions(t)).binlog;
  const gtidOk = await waitFor({
    target: s,
    pos: waitTarget({ survivor: tp, target: (await positions(s)).binlog }),
    seconds: 5,
  });
  const [a, b, sp] = await Promise.all([checksumTables({ c: s }), checksumTables({ c: t }), positions(s)]);
  const tables = compareChecksums(a, b);
  return {
    ok: gtidOk && tables.every((x) => x.equal),
    gtidSurvivor: sp.binlog,
    gtidTarget: tp,
    gtidOk,
    tables,
    diffs: [],
    diffsTruncated: false,
  };
}
