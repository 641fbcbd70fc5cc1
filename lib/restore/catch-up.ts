import 'server-only';
import { AppError } from '@/lib/errors';
import { checksumTables, compareChecksums, diffTable } from './consistency';
import { gtidBehind, waitTarget } from './gtid';
import { type NodeCtx, onCtx, positions, replicaStatus } from './node-io';
import { replicationStoppedWords } from './stopped-words';
import type { GapView, RowDiff, VerifyView } from './types';

// The steps that run outside the lock: catch-up and the subscriber precheck. Both poll and
// report progress through a callback.

const DIFF_LIMIT = 50;

/** Waits with MASTER_GTID_WAIT on `target` for `pos`; true when reached within `seconds`. */
export async function waitFor({
  target,
  pos,
  seconds,
}: {
  target: NodeCtx;
  pos: string;
  seconds: number;
}): Promise<boolean> {
  if (!pos) return true;
  const [r] = await onCtx<{ result: number | null }>(
    target,
    target.dialect.waitForGtid({ gtid: pos, timeoutSeconds: Math.max(0.05, seconds) }),
    Math.ceil(seconds * 1000) + 2000,
  );
  return Number(r?.result) === 0;
}

async function replicationHealthy(target: NodeCtx, survivor: NodeCtx): Promise<void> {
  const st = await replicaStatus(target);
  if (!st) throw new AppError('failed:database', `${target.name} has no replication configured any more.`);
  if (st.lastSqlErrno)
    throw new AppError(
      'failed:database',
      `Replication on ${target.name} stopped: ${replicationStoppedWords(target.name, survivor.name, st)}`,
    );
  if (!st.sqlRunning)
    throw new AppError('failed:database', `The replication SQL thread on ${target.name} is not running.`);
}

/**
 * Step a (second half): the survivor keeps taking writes; every round reads its position and
 * waits up to a second for the target to reach it. Caught up = reached a position read a moment
 * earlier, i.e. behind by less than one round of writes.
 */
export async function catchUp({
  target,
  survivor,
  timeoutMs,
  onGap,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
  timeoutMs: number;
  onGap: (g: GapView) => void;
}): Promise<GapView> {
  const deadline = Date.now() + timeoutMs;
  let initial: number | null = null;
  for (;;) {
    const [sp, tp] = await Promise.all([positions(survivor), positions(target)]);
    const behind =
      gtidBehind({ survivor: sp.binlog, target: tp.binlog }) ?? (sp.binlog === tp.binlog ? 0 : 1);
    initial ??= behind;
    const gap = { survivor: sp.binlog, target: tp.binlog, behind, initial };
    onGap(gap);
    const pos = waitTarget({ survivor: sp.binlog, target: tp.binlog });
    if (await waitFor({ target, pos, seconds: 1 })) {
      // Transactions the target logged that the survivor lacks (committed on the old master just
      // before it failed, or written there since): the survivor applies them now, unlocked.
      const back = waitTarget({ survivor: tp.binlog, target: (await positions(survivor)).binlog });
      if (back && !(await waitFor({ target: survivor, pos: back, seconds: 5 })))
        throw new AppError(
          'failed:database',
          `${survivor.name} has not applied ${target.name}'s own transactions ${back}; check the replication from ${target.name}.`,
        );
      return { ...gap, behind: 0 };
    }
    await replicationHealthy(target, survivor);
    if (Date.now() > deadline)
      throw new AppError(
        'failed:database',
        `${target.name} did not catch up within ${Math.round(timeoutMs / 1000)} s (${behind} transactions behind).`,
      );
  }
}

/** Before locking: subscriber changes only through the console, so it should already match. */
export async function precheckSubscriber({
  target,
  survivor,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
}): Promise<{ ok: boolean; diffs: RowDiff[]; truncated: boolean; detail: string }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [a, b] = await Promise.all([
      checksumTables({ c: survivor, timeoutMs: 60_000 }),
      checksumTables({ c: target, timeoutMs: 60_000 }),
    ]);
    const sub = compareChecksums(a, b).find((t) => t.table === 'subscriber')!;
    if (sub.equal)
      return {
        ok: true,
        diffs: [],
        truncated: false,
        detail: `subscriber checksum ${sub.survivor} on both nodes`,
      };
    // A user saved a moment ago may still be on its way: let replication deliver it, then recheck.
    const sp = await positions(survivor);
    await waitFor({
      target,
      pos: waitTarget({ survivor: sp.binlog, target: (await positions(target)).binlog }),
      seconds: 2,
    });
  }
  const { diffs, truncated } = await diffTable({ survivor, target, table: 'subscriber', limit: DIFF_LIMIT });
  return {
    ok: diffs.length === 0,
    diffs,
    truncated,
    detail: diffs.length
      ? `${diffs.length}${truncated ? '+' : ''} subscriber row(s) differ`
      : 'subscriber matches row by row',
  };
}

/** Inside the lock: checksums on both nodes at once (the window is the slower of the two). */
export async function verifyLocked({
  target,
  survivor,
  survivorPos,
  timeoutMs,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
  survivorPos: string;
  timeoutMs: number;
}): Promise<VerifyView> {
  const [a, b, tp] = await Promise.all([
    checksumTables({ c: survivor, timeoutMs }),
    checksumTables({ c: target, timeoutMs }),
    positions(target),
  ]);
  const tables = compareChecksums(a, b);
  // The target may be ahead in its own domain (rows the console wrote there, e.g. the fence
  // state); what matters is that it holds everything the survivor logged.
  const gtidOk = waitTarget({ survivor: survivorPos, target: tp.binlog }) === '';
  return {
    ok: gtidOk && tables.every((t) => t.equal),
    gtidSurvivor: survivorPos,
    gtidTarget: tp.binlog,
    gtidOk,
    tables,
    diffs: [],
    diffsTruncated: false,
  };
}

/** After an unlock that followed a failed verification: the rows, for the operator. */
export async function explainMismatch({
  target,
  survivor,
  verify,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
  verify: VerifyView;
}): Promise<VerifyView> {
  const diffs: RowDiff[] = [];
  let truncated = false;
  for (const t of verify.tables.filter((x) => !x.equal)) {
    const r = await diffTable({ survivor, target, table: t.table, limit: DIFF_LIMIT - diffs.length });
    diffs.push(...r.diffs);
    truncated ||= r.truncated;
  }
  return { ...verify, diffs, diffsTruncated: truncated };
}
