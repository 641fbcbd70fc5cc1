import 'server-only';
import type { Session } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import { waitFor } from './catch-up';
import { waitTarget } from './gtid';
import { type NodeCtx, openPair, positions } from './node-io';
import { ReadLock } from './read-lock';

// Both nodes at one GTID position, each in a consistent snapshot, for as long as the checksums
// take — with the survivor read-locked only for the moment it takes to open them:
//   FTWRL on the survivor → its position P → the target applies up to P (it was caught up a
//   moment ago: a few events) → START TRANSACTION WITH CONSISTENT SNAPSHOT on both → UNLOCK.
// Each snapshot then sees its node exactly as it was at P while the survivor takes writes again.
// The snapshots' own binlog coordinates (binlog_snapshot_*) are read after the unlock and must
// name P on the survivor and contain P on the target: that is the proof, not the timing.

export interface SnapshotPair {
  survivor: Session;
  target: Session;
  /** The survivor's position under the lock (= its snapshot's). */
  survivorPos: string;
  /** The target's position in its snapshot: P, plus its own domains. */
  targetPos: string;
  lockMs: number;
  close(): Promise<void>;
}

async function snapshotGtid(conn: Session): Promise<string> {
  const rows = await conn.rows<{ Variable_name: string; Value: string }>(
    "SHOW STATUS LIKE 'binlog_snapshot_%'",
  );
  const v = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
  const [g] = await conn.rows<{ gtid: string | null }>('SELECT BINLOG_GTID_POS(?, ?) AS gtid', [
    v.get('binlog_snapshot_file') ?? '',
    Number(v.get('binlog_snapshot_position') ?? 0),
  ]);
  return String(g?.gtid ?? '').replace(/\s/g, '');
}

export async function openSnapshotPair({
  survivor,
  target,
  leaseMs,
}: {
  survivor: NodeCtx;
  target: NodeCtx;
  leaseMs: number;
}): Promise<SnapshotPair> {
  const {
    survivor: sc,
    target: tc,
    close,
  } = await openPair({
    survivor,
    target,
    setup: ['SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ'],
  });
  const lock = await ReadLock.prepare({
    list: survivor.list,
    node: survivor.name,
    leaseMs,
    onLeaseExpired: () => undefined,
  }).catch(async (err) => {
    await close();
    throw err;
  });
  let lockMs: number | null = null;
  let survivorPos = '';
  try {
    await lock.acquire();
    const row = await lock.finalPosition(survivor.dialect.gtidPositions().sql);
    survivorPos = String(row.gtid_binlog_pos ?? row.gtid_executed ?? '').replace(/\s/g, '');
    const pos = waitTarget({ survivor: survivorPos, target: (await positions(target)).binlog });
    if (!(await waitFor({ target, pos, seconds: lock.remainingMs() / 1000 })))
      throw new AppError('failed:database', `${target.name} did not reach ${survivorPos} within the lease.`);
    await Promise.all([sc, tc].map((c) => c.rows('START TRANSACTION WITH CONSISTENT SNAPSHOT')));
    if (lock.expired) throw new AppError('failed:database', `The ${leaseMs} ms lease ran out.`);
  } catch (err) {
    await lock.release();
    await close();
    throw err;
  }
  lockMs = (await lock.release()) ?? 0;
  try {
    const [sp, tp] = await Promise.all([snapshotGtid(sc), snapshotGtid(tc)]);
    if (
      waitTarget({ survivor: survivorPos, target: sp }) !== '' ||
      waitTarget({ survivor: sp, target: survivorPos }) !== ''
    )
      throw new AppError(
        'failed:database',
        `${survivor.name}'s snapshot is at ${sp}, not at the locked position ${survivorPos}.`,
      );
    if (waitTarget({ survivor: survivorPos, target: tp }) !== '')
      throw new AppError(
        'failed:database',
        `${target.name}'s snapshot at ${tp} lacks part of ${survivorPos}.`,
      );
    return { survivor: sc, target: tc, survivorPos, targetPos: tp, lockMs, close };
  } catch (err) {
    await close();
    throw err;
  }
}
