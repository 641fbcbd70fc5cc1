import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import type { RunView } from './types';

// sipha_restore (migration 005): the run's view as JSON, written through the connection list
// (so to the active node, replicated to the others). It is written before the lock and after
// the unlock, never while the survivor is locked: the write would wait for the lock itself.

export async function saveRun({ list, view }: { list: ConnectionList; view: RunView }): Promise<void> {
  const row = {
    kind: view.kind,
    procedure_mode: view.procedure,
    target: view.target,
    survivor: view.survivor,
    status: view.status,
    phase: view.phase,
    steps: JSON.stringify(view),
    lock_window_ms: view.lockWindowMs,
    detail: view.message.slice(0, 1024),
    updated_at: new Date(),
    finished_at: view.finishedAt ? new Date(view.finishedAt) : null,
  };
  await list.write({
    run: (db) =>
      db
        .insertInto('sipha_restore')
        .values({
          ...row,
          run_id: view.runId,
          created_by: view.createdBy.slice(0, 96),
          created_at: new Date(view.createdAt),
        })
        .onDuplicateKeyUpdate(row)
        .execute(),
  });
}

function parse(steps: string): RunView | null {
  try {
    return JSON.parse(steps) as RunView;
  } catch {
    return null;
  }
}

export async function loadRun({
  list,
  runId,
}: {
  list: ConnectionList;
  runId: string;
}): Promise<RunView | null> {
  const { value } = await list.read((db) =>
    db.selectFrom('sipha_restore').select(['steps', 'status']).where('run_id', '=', runId).executeTakeFirst(),
  );
  const v = value ? parse(value.steps) : null;
  return v && value ? { ...v, status: value.status } : null;
}

export async function recentRuns({
  list,
  limit,
}: {
  list: ConnectionList;
  limit: number;
}): Promise<RunView[]> {
  const { value } = await list.read((db) =>
    db
      .selectFrom('sipha_restore')
      .select(['steps', 'status'])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute(),
  );
  return value.flatMap((r) => {
    const v = parse(r.steps);
    return v ? [{ ...v, status: r.status }] : [];
  });
}
