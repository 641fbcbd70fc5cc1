import 'server-only';
import { AppError } from '@/lib/errors';
import { checksumTable } from './chunk-checksum';
import { CHECKED_TABLES } from './consistency';
import { diffChunks } from './divergence';
import { waitTarget } from './gtid';
import type { NodeCtx } from './node-io';
import { openSnapshotPair, type SnapshotPair } from './snapshot-pair';
import type { RowDiff, SnapshotView, VerifyCheckpoint, VerifyView } from './types';

// The verification outside the lock (issue 16). Proof, in three parts:
//  1. at P (the survivor's position under a brief first lock) both nodes are in snapshots, and
//     every row of subscriber and location is equal in them (chunked checksums, chunk.ts);
//  2. under the second brief lock at P2 the target holds P2 …
//  3. … and has logged nothing since its snapshot that is not the survivor's (P2 ∪ its own
//     snapshot position): it got from P to P2 only by applying the survivor's own transactions.
// So the two are identical at P2 without a checksum inside either lock.

export const LISTED_DIFFS = 50;

export async function comparePair({
  pair,
  chunkRows,
  nodes = { survivor: '', target: '' },
  resume,
  onProgress,
  onCheckpoint,
}: {
  pair: SnapshotPair;
  chunkRows?: number;
  /** The nodes' names, recorded in the checkpoint. */
  nodes?: { survivor: string; target: string };
  /** An interrupted run's checkpoint: its chunks are carried over when carryOver() allows. */
  resume?: VerifyCheckpoint | null;
  onProgress: (s: SnapshotView) => void;
  /** After every chunk that extends the run of equal chunks of its table. */
  onCheckpoint?: (c: VerifyCheckpoint) => void;
}): Promise<{ snapshot: SnapshotView; diffs: RowDiff[] }> {
  const at = { ...nodes, survivorPos: pair.survivorPos, targetPos: pair.targetPos };
  const carried = carryOver({ from: resume, at });
  const checkpoint: VerifyCheckpoint = {
    ...at,
    tables: CHECKED_TABLES.map(
      (table) =>
        carried.checkpoint?.tables.find((t) => t.table === table) ?? {
          table,
          after: null,
          done: false,
          rowsDone: 0,
          chunksDone: 0,
        },
    ),
  };
  // Saved at once, so a resumed run interrupted again before its first chunk keeps them.
  if (carried.checkpoint) onCheckpoint?.(structuredClone(checkpoint));
  const snapshot: SnapshotView = {
    survivorPos: pair.survivorPos,
    targetPos: pair.targetPos,
    lockMs: pair.lockMs,
    tables: checkpoint.tables.map((c) => ({
      table: c.table,
      rows: c.done ? c.rowsDone : 0,
      rowsDone: c.rowsDone,
      chunks: c.done ? c.chunksDone : 0,
      chunksDone: c.chunksDone,
      chunksDiffering: 0,
      chunksCarried: c.chunksDone,
    })),
    ...(carried.detail ? { resumed: carried.detail } : {}),
    rowsDiffering: 0,
  };
  const diffs: RowDiff[] = [];
  for (const [i, p] of snapshot.tables.entries()) {
    const c = checkpoint.tables[i]!;
    if (c.done) continue;
    let unbroken = true;
    const differing = await checksumTable({
      survivor: pair.survivor,
      target: pair.target,
      table: p.table,
      chunkRows,
      after: c.after,
      onStart: ({ rows, chunks }) => {
        Object.assign(p, { rows: c.rowsDone + rows, chunks: c.chunksDone + chunks });
        onProgress(structuredClone(snapshot));
      },
      onChunk: ({ rows, differs, hi }) => {
        p.rowsDone += rows;
        p.chunksDone += 1;
        if (differs) p.chunksDiffering += 1;
        // A resumed run starts again at the first differing chunk: only equal chunks carry over.
        unbroken &&= !differs;
        if (unbroken) {
          Object.assign(c, { after: hi, done: hi === null, rowsDone: p.rowsDone, chunksDone: p.chunksDone });
          onCheckpoint?.(structuredClone(checkpoint));
        }
        onProgress(structuredClone(snapshot));
      },
    });
    if (differing.length)
      diffs.push(
        ...(await diffChunks({
          survivor: pair.survivor,
          target: pair.target,
          table: p.table,
          chunks: differing,
        })),
      );
  }
  snapshot.rowsDiffering = diffs.length;
  onProgress(structuredClone(snapshot));
  return { snapshot, diffs };
}

/**
 * Whether an interrupted run's compared chunks still hold in new snapshots. They were equal at
 * the old position P1; the new snapshots are at P2. When P2 contains P1 on both nodes and the
 * target logged nothing of its own since P1, it got from P1 to P2 only by applying the
 * survivor's own transactions (the argument of the second lock, checkDelta): rows equal at P1
 * are equal at P2, so comparing them again proves nothing new. Anything else starts over.
 */
export function carryOver({
  from,
  at,
}: {
  from: VerifyCheckpoint | null | undefined;
  at: { survivor: string; target: string; survivorPos: string; targetPos: string };
}): { checkpoint: VerifyCheckpoint | null; detail: string } {
  if (!from?.tables.some((t) => t.chunksDone > 0)) return { checkpoint: null, detail: '' };
  const k = from.tables
    .filter((t) => t.chunksDone > 0)
    .map((t) => `${t.table} ${t.chunksDone}`)
    .join(', ');
  const why =
    from.survivor !== at.survivor || from.target !== at.target
      ? `it compared ${from.target} with ${from.survivor}`
      : waitTarget({ survivor: from.survivorPos, target: at.survivorPos }) !== ''
        ? `${at.survivor}'s snapshot at ${at.survivorPos} does not contain the interrupted run's ${from.survivorPos}`
        : waitTarget({ survivor: from.targetPos, target: at.targetPos }) !== ''
          ? `${at.target}'s snapshot at ${at.targetPos} does not contain the interrupted run's ${from.targetPos}`
          : waitTarget({ survivor: at.targetPos, target: `${at.survivorPos},${from.targetPos}` }) !== ''
            ? `${at.target} logged transactions of its own since the interrupted run's snapshot`
            : '';
  if (why)
    return {
      checkpoint: null,
      detail: `The interrupted run's compared chunks (${k}) do not carry over: ${why}. Compared from the start.`,
    };
  const same = from.survivorPos === at.survivorPos && from.targetPos === at.targetPos;
  return {
    checkpoint: structuredClone(from),
    detail: `Resumed where the interrupted run stopped: its chunks compared equal at ${from.survivorPos} (${k}) carried over, ${
      same
        ? 'the snapshots being at the same position'
        : `since ${at.target} applied only ${at.survivor}'s transactions from there to ${at.survivorPos}`
    }.`,
  };
}

/** Brief lock, snapshots, unlock, chunked comparison; the snapshots are closed at the end. */
export async function compareAtOnePosition({
  survivor,
  target,
  leaseMs,
  onProgress,
}: {
  survivor: NodeCtx;
  target: NodeCtx;
  leaseMs: number;
  onProgress: (s: SnapshotView) => void;
}): Promise<{ snapshot: SnapshotView; diffs: RowDiff[] }> {
  const pair = await openSnapshotPair({ survivor, target, leaseMs });
  try {
    return await comparePair({ pair, onProgress });
  } finally {
    await pair.close();
  }
}

export function verifyViewOf({ snapshot, diffs }: { snapshot: SnapshotView; diffs: RowDiff[] }): VerifyView {
  return {
    ok: diffs.length === 0,
    gtidSurvivor: snapshot.survivorPos,
    gtidTarget: snapshot.targetPos,
    gtidOk: true,
    tables: snapshot.tables.map((t) => ({
      table: t.table,
      survivor: `${t.rowsDone} rows in ${t.chunksDone} chunks`,
      target: `${t.chunksDiffering} chunk(s) differ`,
      equal: t.chunksDiffering === 0,
    })),
    diffs: diffs.slice(0, LISTED_DIFFS),
    diffsTruncated: diffs.length > LISTED_DIFFS,
  };
}

/** Parts 2 and 3 of the proof, under the second lock: GTID positions only, no table read. */
export function checkDelta({
  snapshot,
  survivorPos,
  targetPos,
}: {
  snapshot: SnapshotView;
  survivorPos: string;
  targetPos: string;
}): { ok: boolean; detail: string } {
  const missing = waitTarget({ survivor: survivorPos, target: targetPos });
  if (missing) return { ok: false, detail: `the target lacks ${missing}` };
  const own = waitTarget({ survivor: targetPos, target: `${survivorPos},${snapshot.targetPos}` });
  if (own) return { ok: false, detail: `the target logged ${own} of its own since the snapshot` };
  if (waitTarget({ survivor: snapshot.survivorPos, target: survivorPos }))
    throw new AppError('failed:database', 'The survivor is behind its own snapshot position.');
  return {
    ok: true,
    detail: `from ${snapshot.survivorPos} to ${survivorPos} the target applied exactly the survivor's transactions`,
  };
}
