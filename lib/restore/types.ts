// Shapes shared by the restore engine, its store, the polling route and the page.
// Plain data only (JSON-safe), so a run's view can be persisted and sent to the browser as is.

export type RestoreKind = 'restore' | 'switchover';
/** sipha: catch up while the survivor takes writes, then a short lock. paper: lock first (Appendix A). */
export type RestoreProcedure = 'sipha' | 'paper';

export type StepId =
  | 'replicate'
  | 'catch_up'
  | 'precheck'
  | 'blockers'
  | 'snapshot'
  | 'verify_chunks'
  | 'lock'
  | 'final_wait'
  | 'verify'
  | 'switch'
  | 'unlock';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepView {
  id: StepId;
  title: string;
  /** What the step will do, shown before the run starts. */
  plan: string;
  /** Statements the step runs, secrets masked. */
  statements: string[];
  status: StepStatus;
  detail: string;
  startedAt: number | null;
  ms: number | null;
  /** verify_chunks only: how far the comparison got, saved with the run after every chunk. */
  checkpoint?: VerifyCheckpoint | null;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted' | 'interrupted' | 'rolled_back';

export interface GapView {
  /** The survivor's binlog position and the target's executed position. */
  survivor: string;
  target: string;
  /** Transactions the target still misses (sum over GTID domains). */
  behind: number;
  /** At the start of catch-up, for a progress bar. */
  initial: number;
}

export interface BlockerView {
  kind: 'long_transaction' | 'bypass_session';
  id: number;
  user: string;
  seconds: number;
  info: string;
}

export interface TableCheck {
  table: 'subscriber' | 'location';
  survivor: string | null;
  target: string | null;
  equal: boolean;
}

export interface RowDiff {
  table: 'subscriber' | 'location';
  /** Primary key for subscriber (id), ruid for location. */
  key: string;
  survivor: Record<string, unknown> | null;
  target: Record<string, unknown> | null;
}

export interface VerifyView {
  ok: boolean;
  gtidSurvivor: string;
  gtidTarget: string;
  gtidOk: boolean;
  tables: TableCheck[];
  /** Differing rows (capped), only when a check failed. */
  diffs: RowDiff[];
  diffsTruncated: boolean;
}

/** Chunked verification of one table inside the two snapshots (verify-snapshot.ts). */
export interface ChunkProgress {
  table: 'subscriber' | 'location';
  /** Rows in the survivor's snapshot, and how many of them were compared so far. */
  rows: number;
  rowsDone: number;
  chunks: number;
  chunksDone: number;
  /** Chunks whose checksum or row count differed. */
  chunksDiffering: number;
  /** Chunks (and their rows) compared by an interrupted run and carried over by this one. */
  chunksCarried?: number;
}

/**
 * Where the chunked comparison of an interrupted run got to. Per table, chunks are compared in
 * key order; `after` is the upper key bound of the last chunk of an unbroken run of equal chunks
 * from the start (null: none yet), `done` when the whole table was compared equal.
 */
export interface VerifyCheckpoint {
  /** The nodes compared, and the snapshots' positions the chunks were compared at. */
  survivor: string;
  target: string;
  survivorPos: string;
  targetPos: string;
  tables: {
    table: 'subscriber' | 'location';
    after: string | null;
    done: boolean;
    rowsDone: number;
    chunksDone: number;
  }[];
}

/** Both nodes at one GTID position: the brief lock that opened the snapshots, and the progress. */
export interface SnapshotView {
  survivorPos: string;
  targetPos: string;
  lockMs: number;
  tables: ChunkProgress[];
  /** Set when an interrupted run's chunks were carried over, or why they could not be. */
  resumed?: string;
  /** Differing rows found in the differing chunks (all of them, not only those listed). */
  rowsDiffering: number;
}

export interface RunView {
  runId: string;
  kind: RestoreKind;
  procedure: RestoreProcedure;
  target: string;
  survivor: string;
  status: RunStatus;
  phase: StepId | 'done';
  steps: StepView[];
  gap: GapView | null;
  blockers: BlockerView[];
  verify: VerifyView | null;
  /** Sipha procedure: the verification outside the lock, at the position of a brief first lock. */
  snapshot?: SnapshotView | null;
  /** Total of all lock windows of the run (the snapshot's and the switch's). */
  lockWindowMs: number | null;
  /** Set while the survivor is read-locked: when the lease ends on its own. */
  lockLeaseEndsAt: number | null;
  message: string;
  warnings: string[];
  createdBy: string;
  createdAt: number;
  finishedAt: number | null;
}
