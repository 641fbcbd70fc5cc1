import 'server-only';
import { AppError } from '@/lib/errors';
import { checksumTable } from './chunk-checksum';
import { CHECKED_TABLES } from './consistency';
import { diffChunks } from './divergence';
import { waitTarget } from './gtid';
import type { NodeCtx } from './node-io';
import { openSnapshotPair, type SnapshotPair } from './snapshot-pair';
import type { RowDiff, SnapshotView, VerifyView } from './types';

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
  onProgress,
}: {
  pair: SnapshotPair;
  chunkRows?: number;
  onProgress: (s: SnapshotView) => void;
}): Promise<{ snapshot: SnapshotView; diffs: RowDiff[] }> {
  const snapshot: SnapshotView = {
    survivorPos: pair.survivorPos,
    targetPos: pair.targetPos,
    lockMs: pair.lockMs,
    tables: CHECKED_TABLES.map((table) => ({
      table,
      rows: 0,
      rowsDone: 0,
      chunks: 0,
      chunksDone: 0,
      chunksDiffering: 0,
    })),
    rowsDiffering: 0,
  };
  const diffs: RowDiff[] = [];
  for (const p of snapshot.tables) {
    const differing = await checksumTable({
      survivor: pair.survivor,
      target: pair.target,
      table: p.table,
      chunkRows,
      onStart: ({ rows, chunks }) => {
        Object.assign(p, { rows, chunks });
        onProgress(structuredClone(snapshot));
      },
      onChunk: ({ rows, differs }) => {
        p.rowsDone += rows;
        p.chunksDone += 1;
        if (differs) p.chunksDiffering += 1;
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
