'use client';

import { useActionState, useState } from 'react';
import { type ActionState, idle } from '@/lib/action-state';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** The admin's explicit override of fencing, behind a warning and a confirmation. */
export function FenceControl({
  node,
  cluster,
  fenced,
  action,
}: {
  node: string;
  /** The node's cluster, when more than one is configured (checked against the node's own). */
  cluster?: string;
  fenced: boolean;
  action: Action;
}) {
  const [open, setOpen] = useState(false);
  const [state, submit, pending] = useActionState(action, idle);
  const errors = state.status === 'invalid' ? state.fieldErrors : {};
  if (!open)
    return (
      <div className="mt-3 text-sm">
        <button type="button" onClick={() => setOpen(true)} className="text-blue-700 underline">
          {fenced ? `Let ${node} take writes again…` : `Fence ${node}…`}
        </button>
        <p aria-live="polite" className="text-emerald-700">
          {state.status === 'saved' ? state.message : ''}
        </p>
      </div>
    );
  return (
    <form action={submit} className="mt-3 space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">
        {fenced
          ? `${node} missed writes while it was down. Letting it take writes before a restore can lose or duplicate data. Use Restore unless you have checked it yourself.`
          : `Fencing ${node} moves writes to the next node; it comes back only through a restore.`}
      </p>
      <input type="hidden" name="node" value={node} />
      {cluster && <input type="hidden" name="cluster" value={cluster} />}
      <input type="hidden" name="fenced" value={fenced ? 'false' : 'true'} />
      <label className="block">
        Reason
        <input name="reason" className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      <p className="text-red-700">{errors.reason?.join(' ')}</p>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="confirm" value="yes" /> I understand the risk
      </label>
      <p className="text-red-700">{errors.confirm?.join(' ')}</p>
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-amber-700 px-3 py-1 text-white disabled:opacity-60"
        >
          {fenced ? 'Unfence' : 'Fence'}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded border px-3 py-1">
          Cancel
        </button>
      </div>
      <p aria-live="polite" className="text-red-700">
        {state.status === 'failed' ? state.message : ''}
      </p>
    </form>
  );
}
