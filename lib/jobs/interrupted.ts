import 'server-only';
import { jobKind } from './kinds';
import { liveJob } from './registry';
import type { JobRecord, JobStore } from './store';

// A job is interrupted when the store says a step of it is running and this console process
// does not run now (or runs at another step): the console that ran it stopped (killed, restarted, crashed). Locks
// and sessions died with it; the kind offers to resume or roll back (kinds.ts).

export function isInterrupted(rec: Pick<JobRecord, 'jobId' | 'step'>): boolean {
  if (rec.step === null) return false;
  const live = liveJob(rec.jobId);
  return !live || live.ended || (live.step !== null && live.step !== rec.step);
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
  return (await store.recent({ kind, limit })).filter(isInterrupted);
}

/** What the pages say about an interrupted job: its kind's words. */
export function interruptedMessage(kind: string): string {
  return jobKind(kind)?.interrupted ?? 'The console stopped while this job ran.';
}
