import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { type JobRecord, saveJobView, tableStore } from '@/lib/jobs/store';
import type { RunView } from './types';

// A restore run is a job of kind `restore` in the job store (lib/jobs/store.ts): its view is the
// job's state, its phase the running step while it runs. It is written before the lock and
// after the unlock, never while the survivor is locked: the write would wait for the lock itself.

export const RESTORE_KIND = 'restore';

export async function saveRun({ list, view }: { list: ConnectionList; view: RunView }): Promise<void> {
  await saveJobView({
    store: tableStore(list),
    jobId: view.runId,
    kind: RESTORE_KIND,
    status: view.status,
    running: view.status === 'running',
    step: view.phase,
    target: view.target,
    view,
    detail: view.message,
    createdBy: view.createdBy,
    createdAt: view.createdAt,
    finishedAt: view.finishedAt,
  });
}

export function viewOf(rec: JobRecord): RunView | null {
  return rec.kind === RESTORE_KIND
    ? { ...(rec.state as RunView), status: rec.status as RunView['status'] }
    : null;
}

export async function loadRun({
  list,
  runId,
}: {
  list: ConnectionList;
  runId: string;
}): Promise<RunView | null> {
  const rec = await tableStore(list).load(runId);
  return rec ? viewOf(rec) : null;
}

export async function recentRuns({
  list,
  limit,
}: {
  list: ConnectionList;
  limit: number;
}): Promise<RunView[]> {
  return (await tableStore(list).recent({ kind: RESTORE_KIND, limit })).flatMap((r) => viewOf(r) ?? []);
}
