'use client';

import { useActionState, useEffect } from 'react';
import type { ActionState } from '@/lib/action-state';

export type UnregisterAction = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** One small form per row; the result goes to the page's aria-live region via onDone. */
export function UnregisterButton({
  ruid,
  aor,
  cluster,
  action,
  onDone,
}: {
  ruid: string;
  aor: string;
  /** The row's cluster: the delete goes to its connection list. */
  cluster?: string;
  action: UnregisterAction;
  onDone: (s: ActionState) => void;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' });
  useEffect(() => {
    if (state.status !== 'idle') onDone(state);
  }, [state, onDone]);
  return (
    <form action={formAction}>
      <input type="hidden" name="ruid" value={ruid} />
      {cluster && <input type="hidden" name="cluster" value={cluster} />}
      <button
        type="submit"
        disabled={pending}
        aria-label={`Unregister ${aor}`}
        className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50"
      >
        {pending ? 'Removing…' : 'Unregister'}
      </button>
    </form>
  );
}
