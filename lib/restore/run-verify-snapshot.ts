import 'server-only';
import { AppError } from '@/lib/errors';
import { catchUp } from './catch-up';
import { positions } from './node-io';
import type { RunContext } from './run-context';
import { openSnapshotPair, type SnapshotPair } from './snapshot-pair';
import type { VerifyView } from './types';
import { checkDelta, comparePair, verifyViewOf } from './verify-snapshot';

// The run's steps for the verification outside the lock: `snapshot` (the first brief lock),
// `verify_chunks` (checksums while the survivor takes writes) and, under the second lock,
// the GTID-only part of `verify`. The open snapshots pass from one step to the next here.

const pairs = new WeakMap<RunContext, SnapshotPair>();

export async function snapshotStep(run: RunContext): Promise<string> {
  const { s, t, view } = run;
  // The steps since catch-up (precheck, blockers) let the survivor run ahead: close that gap
  // while it takes writes, so the target's wait under this brief lock is a few events.
  await catchUp({ target: t, survivor: s, timeoutMs: 30_000, onGap: () => undefined });
  const pair = await openSnapshotPair({ survivor: s, target: t, leaseMs: run.leaseMs });
  pairs.set(run, pair);
  view.lockWindowMs = pair.lockMs;
  view.snapshot = {
    survivorPos: pair.survivorPos,
    targetPos: pair.targetPos,
    lockMs: pair.lockMs,
    tables: [],
    rowsDiffering: 0,
  };
  return `${s.name} read-locked for ${pair.lockMs} ms: both nodes in snapshots at ${pair.survivorPos}, unlocked`;
}

export async function verifyChunksStep(run: RunContext): Promise<string> {
  const { view } = run;
  const pair = pairs.get(run);
  if (!pair) throw new AppError('failed:database', 'No snapshots are open: the snapshot step did not run.');
  pairs.delete(run);
  const step = view.steps.find((x) => x.id === 'verify_chunks');
  // The checkpoint is saved with the run after every chunk (one small write to the survivor,
  // which is not locked now), one save at a time: a run resumed after a restart goes on from it.
  let saving = Promise.resolve();
  try {
    const r = await comparePair({
      pair,
      nodes: { survivor: run.s.name, target: run.t.name },
      resume: run.o.resumeChunks,
      onProgress: (p) => {
        view.snapshot = p;
        run.emit();
      },
      onCheckpoint: (c) => {
        saving = saving.then(() => {
          if (step) step.checkpoint = c;
          return run.persist();
        });
      },
    });
    await saving;
    view.verify = verifyViewOf(r);
    if (r.diffs.length) {
      const chunks = r.snapshot.tables.map((x) => `${x.table} ${x.chunksDiffering}/${x.chunks}`).join(', ');
      throw new AppError(
        'conflict:state',
        `${r.diffs.length} row(s) differ at ${pair.survivorPos} (differing chunks: ${chunks}): the run stopped outside the lock. Nothing was changed; repair below.`,
      );
    }
    const rows = r.snapshot.tables
      .map((x) => `${x.table} ${x.rowsDone} rows/${x.chunksDone} chunks`)
      .join(', ');
    const resumed = r.snapshot.resumed ? ` ${r.snapshot.resumed}` : '';
    return `identical at ${pair.survivorPos}, compared outside the lock: ${rows}.${resumed}`;
  } finally {
    await saving;
    await pair.close();
  }
}

/** Step e under the second lock, after verify_chunks: positions only. */
export async function verifyDeltaLocked(run: RunContext): Promise<VerifyView> {
  const snapshot = run.view.snapshot!;
  const tp = (await positions(run.t)).binlog;
  const d = checkDelta({ snapshot, survivorPos: run.survivorPos, targetPos: tp });
  const before = run.view.verify;
  return {
    ok: d.ok && !!before?.ok,
    gtidSurvivor: run.survivorPos,
    gtidTarget: tp,
    gtidOk: d.ok,
    tables: before?.tables ?? [],
    diffs: [],
    diffsTruncated: false,
  };
}
