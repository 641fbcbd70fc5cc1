'use client';

import { type ReactNode, useActionState } from 'react';
import { type ActionState, idle } from '@/lib/action-state';
import type { Action } from './types';

// One form around one server action: pending state, the result announced politely, the node
// the console's state write landed on (and a warning when that is not the first node).

export function ActionForm({
  action,
  children,
  submit,
  firstNode,
  className,
  danger,
  disabled,
}: {
  action: Action;
  children?: ReactNode;
  submit: string;
  firstNode?: string;
  className?: string;
  danger?: boolean;
  disabled?: boolean;
}) {
  const [state, run, pending] = useActionState(action, idle);
  const btn = danger ? 'bg-red-700 hover:bg-red-800' : 'bg-slate-900 hover:bg-slate-700';
  return (
    <form action={run} className={className ?? 'space-y-2'}>
      {children}
      <button
        type="submit"
        disabled={pending || disabled}
        className={`rounded px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50 ${btn}`}
      >
        {pending ? 'Working…' : submit}
      </button>
      <ActionResult state={state} firstNode={firstNode} />
    </form>
  );
}

export function ActionResult({ state, firstNode }: { state: ActionState; firstNode?: string }) {
  return (
    <div aria-live="polite" className="text-sm">
      {state.status === 'saved' && (
        <p className="text-green-800">
          {state.message} <span className="text-slate-500">(state saved on {state.node})</span>
          {firstNode && state.node !== firstNode && (
            <span className="block text-amber-700">
              Warning: {state.node} is not the first node ({firstNode}); the console has failed over.
            </span>
          )}
        </p>
      )}
      {state.status === 'failed' && <p className="text-red-700">{state.message}</p>}
      {state.status === 'invalid' && (
        <p className="text-red-700">{state.message ?? 'Check the highlighted fields.'}</p>
      )}
    </div>
  );
}

export function FieldError({ state, name }: { state: ActionState; name: string }) {
  if (state.status !== 'invalid' || !state.fieldErrors[name]) return null;
  return (
    <p id={`${name}-error`} className="text-xs text-red-700">
      {state.fieldErrors[name].join(' ')}
    </p>
  );
}
