'use client';

import { useActionState } from 'react';
import { type ActionState, idle } from '@/lib/action-state';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** Manual failback: send writes to another Synced node now (admin, audited). */
export function WriterControl({ candidates, action }: { candidates: string[]; action: Action }) {
  const [state, submit, pending] = useActionState(action, idle);
  if (candidates.length === 0) return null;
  return (
    <form action={submit} className="mt-2 flex items-center gap-2 text-sm">
      <label>
        Send writes to{' '}
        <select name="node" className="rounded border border-slate-300 px-2 py-1">
          {candidates.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={pending} className="rounded border border-slate-400 px-2 py-1">
        Move writes
      </button>
      <span aria-live="polite" className={state.status === 'failed' ? 'text-red-700' : 'text-emerald-700'}>
        {state.status === 'saved' || state.status === 'failed' ? state.message : ''}
      </span>
    </form>
  );
}
