'use client';

import { useActionState } from 'react';
import { WriteResult } from '@/components/users/write-result';
import { type ActionState, idle } from '@/lib/action-state';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function ResumeMove({ moveId, action }: { moveId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      <input type="hidden" name="moveId" value={moveId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded border border-slate-400 px-2 py-0.5 text-sm"
      >
        {pending ? 'Running…' : 'Resume'}
      </button>
      <WriteResult state={state} />
    </form>
  );
}
