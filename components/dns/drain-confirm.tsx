'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/action-state';
import { ActionResult } from '../registrations/action-result';

export type DrainAction = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** The confirm button under a drain preview; the result is announced politely. */
export function DrainConfirm({
  action,
  fields,
  label,
  enabled,
}: {
  action: DrainAction;
  fields: Record<string, string>;
  label: string;
  /** False once the preview no longer applies (e.g. right after this very drain). */
  enabled: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' });
  if (!enabled && state.status === 'idle') return null;
  return (
    <form action={formAction} className="mt-3 space-y-2">
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button
        hidden={!enabled}
        type="submit"
        disabled={pending || !enabled || state.status === 'saved'}
        className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700 disabled:opacity-50"
      >
        {pending ? 'Updating DNS…' : label}
      </button>
      <ActionResult state={state} />
    </form>
  );
}
