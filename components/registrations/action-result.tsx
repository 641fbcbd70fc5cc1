import type { ActionState } from '@/lib/action-state';

/** The outcome of an unregister, announced politely; says which node took the write. */
export function ActionResult({ state }: { state: ActionState }) {
  return (
    <div aria-live="polite" className="min-h-6 text-sm">
      {state.status === 'saved' && (
        <p className="text-emerald-800">
          {state.message}
          {state.warning && <span className="ml-2 font-medium text-amber-700">{state.warning}</span>}
        </p>
      )}
      {state.status === 'failed' && <p className="text-red-700">{state.message}</p>}
      {state.status === 'invalid' && (
        <p className="text-red-700">{state.message ?? Object.values(state.fieldErrors).flat().join(' ')}</p>
      )}
    </div>
  );
}
