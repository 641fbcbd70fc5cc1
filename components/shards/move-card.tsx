'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect } from 'react';
import { WriteResult } from '@/components/users/write-result';
import { type ActionState, idle } from '@/lib/action-state';
import type { ShardOverview } from '@/lib/shards/overview';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;
type Move = ShardOverview['moves'][number];

const BADGE: Record<Move['steps'][number]['status'], string> = {
  pending: 'bg-slate-100 text-slate-600',
  running: 'bg-blue-100 text-blue-900',
  done: 'bg-green-100 text-green-900',
  skipped: 'bg-green-50 text-green-800',
  failed: 'bg-red-100 text-red-900',
  rolled_back: 'bg-slate-200 text-slate-900',
};

function headline(m: Move): string {
  const doing = m.mode === 'move' ? 'moving' : 'rolling back';
  switch (m.status) {
    case 'running':
      return m.elsewhere
        ? `Now ${doing} in another console process (${m.elsewhere}): ${m.phase}. Its page shows it live; this one follows it as the steps end.`
        : `Now ${doing}: ${m.phase}.`;
    case 'interrupted':
      return `Interrupted: the console stopped while ${doing} (at ${m.phase}).`;
    case 'failed':
      return `Stopped by a failure while ${doing}: ${m.detail}`;
    case 'done':
      return 'Done: every user is on its new cluster.';
    case 'rolled_back':
      return 'Rolled back: the users are on their old cluster again, as before the move.';
  }
}

/** After an action, read the page's data again at once rather than at the next poll. */
function useRefreshOn(state: ActionState) {
  const client = useQueryClient();
  useEffect(() => {
    if (state.status === 'saved') void client.invalidateQueries({ queryKey: ['shards'] });
  }, [state, client]);
}

/** One move: its steps with their state, and Resume / Roll back when it stopped. */
export function MoveCard({ m, resume, rollback }: { m: Move; resume: Action; rollback: Action }) {
  const [rs, resumeAction, resuming] = useActionState(resume, idle);
  const [rb, rollbackAction, rollingBack] = useActionState(rollback, idle);
  useRefreshOn(rs);
  useRefreshOn(rb);
  const stopped = m.status === 'interrupted' || m.status === 'failed';
  const title = `Move ${m.moveId.slice(0, 8)}`;
  return (
    <section
      aria-label={title}
      className={`space-y-2 rounded border p-3 text-sm ${stopped ? 'border-amber-500 bg-amber-50' : 'border-slate-200'}`}
    >
      <h3 className="font-medium">
        {title}: {m.users} users ({m.groups.map((g) => `${g.source} → ${g.target}`).join(', ')}),{' '}
        {m.registrations} live registrations, to <span className="font-mono">{m.to}</span>
      </h3>
      <p role="status" data-testid="move-status" className={stopped ? 'font-medium text-amber-900' : ''}>
        {headline(m)}
      </p>
      <ol
        aria-label={`${m.mode === 'move' ? 'Phases' : 'Rollback steps'} of ${title}`}
        className="space-y-0.5"
      >
        {m.steps.map((s, i) => (
          <li key={s.id} className="flex flex-wrap items-baseline gap-2">
            <span className="w-5 text-right tabular-nums text-slate-500">{i + 1}.</span>
            <span className="w-20 font-mono">{s.id}</span>
            <span className={`rounded px-1.5 text-xs ${BADGE[s.status]}`}>{s.status.replace('_', ' ')}</span>
            <span className="text-slate-700">{s.words}</span>
            {s.detail && <span className="text-slate-500">— {s.detail}</span>}
          </li>
        ))}
      </ol>
      {stopped && (
        <div className="space-y-2">
          {m.canResume && (
            <form action={resumeAction} className="flex items-center gap-2">
              <input type="hidden" name="moveId" value={m.moveId} />
              <button
                type="submit"
                disabled={resuming || rollingBack}
                className="rounded bg-slate-800 px-3 py-1 text-white"
              >
                {resuming ? 'Resuming…' : 'Resume'}
              </button>
              <span className="text-slate-600">runs on from the first phase not done.</span>
            </form>
          )}
          {m.rollbackRefusal === null ? (
            <form action={rollbackAction} className="space-y-1">
              <input type="hidden" name="moveId" value={m.moveId} />
              <p className="text-slate-700">
                {m.mode === 'move'
                  ? 'Roll back does, in order:'
                  : 'Roll back runs on from its first step not done:'}
              </p>
              <ol className="ml-5 list-decimal text-slate-700">
                {m.rollbackSteps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
              <button
                type="submit"
                disabled={resuming || rollingBack}
                className="rounded border border-slate-800 px-3 py-1"
              >
                {rollingBack ? 'Rolling back…' : 'Roll back'}
              </button>
            </form>
          ) : (
            <p className="text-slate-700">No roll back: {m.rollbackRefusal}</p>
          )}
        </div>
      )}
      <WriteResult state={rs} />
      <WriteResult state={rb} />
    </section>
  );
}
