import 'server-only';
import type { Kysely } from 'kysely';
import type { ConnectionList } from '@/lib/db/connection-list';
import type { DB } from '@/lib/db/schema';
import { PROCESS_ID } from './registry';

// The one store of background jobs: sipha_job (migration 010), written through the connection
// list like every console write (so to the active node, replicated to the others). The kind's
// own state is JSON; an update is read-modify-write under a row lock, so a progress save and
// an operator's action on the same job never overwrite each other.

export interface JobRecord<S = unknown> {
  jobId: string;
  /** The job kind (lib/jobs/kinds.ts): 'wizard', 'restore', 'galera'. */
  kind: string;
  /** The kind's own status word ('open', 'running', 'succeeded', …). */
  status: string;
  /** The step running now, null between steps and once the job ended. */
  step: string | null;
  /** The console process (registry.ts PROCESS_ID) running that step. */
  owner: string | null;
  target: string;
  state: S;
  detail: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface JobStore {
  /** Inserts the job or overwrites it whole. */
  save(rec: JobRecord): Promise<void>;
  load(jobId: string): Promise<JobRecord | null>;
  /** The latest jobs of a kind, newest first. */
  recent(args: { kind: string; limit: number }): Promise<JobRecord[]>;
  /** Read-modify-write of one job under a row lock; throws when there is no such job. */
  update(jobId: string, fn: (r: JobRecord) => JobRecord): Promise<JobRecord>;
  /**
   * The heartbeat (interrupted.ts): marks the row as touched now, only while this process still
   * owns a running step of it. False when it does not (another console took the job over).
   */
  touch(jobId: string): Promise<boolean>;
}

type Row = DB['sipha_job'] extends infer T ? { [K in keyof T]: unknown } : never;

function toRecord(r: Row): JobRecord | null {
  let state: unknown;
  try {
    state = JSON.parse(String(r.state));
  } catch {
    return null; // a row this console cannot read is not offered for resume
  }
  const time = (v: unknown) => (v == null ? null : new Date(v as string | Date).getTime());
  return {
    jobId: String(r.job_id),
    kind: String(r.kind),
    status: String(r.status),
    step: r.step == null ? null : String(r.step),
    owner: r.owner == null ? null : String(r.owner),
    target: String(r.target ?? ''),
    state,
    detail: String(r.detail ?? ''),
    createdBy: String(r.created_by),
    createdAt: time(r.created_at) ?? 0,
    updatedAt: time(r.updated_at) ?? 0,
    finishedAt: time(r.finished_at),
  };
}

function columns(rec: JobRecord) {
  return {
    kind: rec.kind,
    status: rec.status.slice(0, 16),
    step: rec.step,
    owner: rec.owner,
    target: rec.target.slice(0, 64),
    state: JSON.stringify(rec.state),
    detail: rec.detail.slice(0, 1024),
    updated_at: new Date(),
    finished_at: rec.finishedAt ? new Date(rec.finishedAt) : null,
  };
}

/** The store on a connection list (the console's, or a test's over a lab). */
export function tableStore(list: Pick<ConnectionList, 'read' | 'write'>): JobStore {
  const select = (db: Kysely<DB>) => db.selectFrom('sipha_job').selectAll();
  const store: JobStore = {
    async save(rec) {
      const set = columns(rec);
      await list.write({
        run: (db) =>
          db
            .insertInto('sipha_job')
            .values({
              ...set,
              job_id: rec.jobId,
              created_by: rec.createdBy.slice(0, 96),
              created_at: new Date(rec.createdAt),
            })
            .onDuplicateKeyUpdate(set)
            .execute(),
      });
    },
    async load(jobId) {
      const { value } = await list.read((db) => select(db).where('job_id', '=', jobId).executeTakeFirst());
      return value ? toRecord(value as Row) : null;
    },
    async recent({ kind, limit }) {
      const { value } = await list.read((db) =>
        select(db).where('kind', '=', kind).orderBy('created_at', 'desc').limit(limit).execute(),
      );
      return value.flatMap((r) => toRecord(r as Row) ?? []);
    },
    async update(jobId, fn) {
      const { value } = await list.write({
        run: (db) =>
          db.transaction().execute(async (trx) => {
            const row = await select(trx).where('job_id', '=', jobId).forUpdate().executeTakeFirst();
            const rec = row ? toRecord(row as Row) : null;
            if (!rec) throw new Error(`No job ${jobId}`);
            const next = fn(rec);
            await trx.updateTable('sipha_job').set(columns(next)).where('job_id', '=', jobId).execute();
            return next;
          }),
      });
      return value;
    },
    async touch(jobId) {
      const { value } = await list.write({
        run: (db) =>
          db
            .updateTable('sipha_job')
            .set({ updated_at: new Date() })
            .where('job_id', '=', jobId)
            .where('owner', '=', PROCESS_ID)
            .where('step', 'is not', null)
            .executeTakeFirst(),
      });
      return Number(value.numUpdatedRows) > 0;
    },
  };
  return store;
}

/**
 * Saves a kind's view of one job as its whole record: while it runs, this process owns it and
 * `step` names what runs; once it ended, neither. The one way a kind that keeps its own view
 * (a restore run, a Galera operation) writes its row.
 */
export async function saveJobView<S>({
  store,
  jobId,
  kind,
  status,
  running,
  step,
  target,
  view,
  detail,
  createdBy,
  createdAt,
  finishedAt,
}: {
  store: JobStore;
  jobId: string;
  kind: string;
  status: string;
  running: boolean;
  step: string;
  target: string;
  view: S;
  detail: string;
  createdBy: string;
  createdAt: number;
  finishedAt: number | null;
}): Promise<void> {
  await store.save({
    jobId,
    kind,
    status,
    step: running ? step : null,
    owner: running ? PROCESS_ID : null,
    target,
    state: view,
    detail,
    createdBy,
    createdAt,
    updatedAt: Date.now(),
    finishedAt,
  });
}
