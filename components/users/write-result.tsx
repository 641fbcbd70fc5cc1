import type { ActionState } from '@/lib/action-state';

/** The outcome of a write, announced politely; says on which node it landed. */
export function WriteResult({ state, id }: { state: ActionState; id?: string }) {
  return (
    <div id={id} aria-live="polite" className="text-sm">
      {state.status === 'saved' && (
        <div className="space-y-1">
          <p className="text-green-800">{state.message}</p>
          {state.warning && (
            <p role="alert" className="rounded border border-amber-400 bg-amber-50 px-2 py-1 text-amber-900">
              {state.warning}
            </p>
          )}
        </div>
      )}
      {state.status === 'failed' && <p className="text-red-700">{state.message}</p>}
      {state.status === 'invalid' && state.message && <p className="text-red-700">{state.message}</p>}
    </div>
  );
}

export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <p id={id} className="mt-1 min-h-5 text-sm text-red-700">
      {errors?.join(' ')}
    </p>
  );
}
