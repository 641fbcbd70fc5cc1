import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { PROCESS_ID } from '@/lib/jobs/registry';
import { type JobRecord, tableStore } from '@/lib/jobs/store';
import type { RunView } from './types';

// A restore run is a job of kind `restore` in the job store (lib/jobs/store.ts): its view is the
// job's state, its phase the running step while it runs. It is written before the lock and
// after the unlock, never while the survivor is locked: the write would wait for the lock itself.

export const RESTORE_KIND = 'restore';

export async function saveRun({ list, view }: { list: ConnectionList; view: RunView }): Promise<void> {
  const running = view.status === 'running';
  await tableStore(list).save({
    jobId: view.runId,
    kind: RESTORE_KIND,
    status: view.status,
    step: running ? view.phase : null,
    owner: running ? PROCESS_ID : null,
    target: view.target,
    state: view,
    detail: view.message,
    createdBy: view.createdBy,
    createdAt: view.createdAt,
    updatedAt: Date.now(),
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
