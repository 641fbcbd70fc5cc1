import 'server-only';
import { jobKind } from './kinds';
import { HEARTBEAT_MS, liveJob, PROCESS_ID, STALE_MS } from './registry';
import type { JobRecord, JobStore } from './store';

// A job is interrupted when the store says a step of it is running and no console process
// runs it: not this one (or this one at another step), and not another console process that
// still says so. The process running a job of any kind (a shard move, a restore, a wizard step,
// a Galera operation) touches its row every HEARTBEAT_MS (registry.ts `track`); a row owned by
// another process and touched within STALE_MS runs there (two consoles over the same
// databases), so it is neither offered for resume nor resumed. Past that, the console that ran
// it stopped (killed, restarted, crashed): locks and sessions died with it, and the kind offers
// to resume or roll back (kinds.ts). The consoles' clocks must agree to within a few seconds
// (NTP), since each compares its own time with the time the other wrote.

export { HEARTBEAT_MS, STALE_MS };

type Stored = Pick<JobRecord, 'jobId' | 'step'> & Partial<Pick<JobRecord, 'owner' | 'updatedAt'>>;

/** Stored as running by another console process that touched it within STALE_MS. */
export function runsElsewhere(rec: Stored, now = Date.now()): boolean {
  return (
    rec.step !== null &&
    !!rec.owner &&
    rec.owner !== PROCESS_ID &&
    rec.updatedAt !== undefined &&
    now - rec.updatedAt < STALE_MS
  );
}

export function isInterrupted(rec: Stored, now = Date.now()): boolean {
  if (rec.step === null) return false;
  const live = liveJob(rec.jobId);
  const here = !!live && !live.ended && (live.step === null || live.step === rec.step);
  return !here && !runsElsewhere(rec, now);
}

export async function interruptedJobs({
  store,
  kind,
  limit = 20,
}: {
  store: JobStore;
  kind: string;
  limit?: number;
}): Promise<JobRecord[]> {
  return (await store.recent({ kind, limit })).filter((r) => isInterrupted(r));
}

/** What the pages say about an interrupted job: its kind's words. */
export function interruptedMessage(kind: string): string {
  return jobKind(kind)?.interrupted ?? 'The console stopped while this job ran.';
}
