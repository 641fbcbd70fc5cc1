'use client';

import { useActionState } from 'react';
import { FieldError, WriteResult } from '@/components/users/write-result';
import { type ActionState, idle } from '@/lib/action-state';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function CreateTokenForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const errors = state.status === 'invalid' ? state.fieldErrors : {};
  return (
    <form action={formAction} noValidate className="space-y-3 rounded border border-slate-200 p-4">
      <h2 className="font-semibold">New token</h2>
      <div className="flex flex-wrap items-start gap-3">
        <div>
          <label htmlFor="token-name" className="block text-sm font-medium">
            Name
          </label>
          <input
            id="token-name"
            name="name"
            maxLength={64}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
            aria-describedby="token-name-error"
          />
          <FieldError id="token-name-error" errors={errors.name} />
        </div>
        <div>
          <label htmlFor="token-role" className="block text-sm font-medium">
            Role
          </label>
          <select
            id="token-role"
            name="role"
            defaultValue="operator"
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          >
            <option value="viewer">viewer</option>
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </select>
          <FieldError id="token-role-error" errors={errors.role} />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="mt-6 rounded bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-60"
        >
          Create token
        </button>
      </div>
      <WriteResult state={state} />
      {state.status === 'saved' && state.secret && (
        <p className="text-sm">
          Token (shown once):{' '}
          <code data-testid="new-token" className="break-all rounded bg-slate-100 px-1 font-mono">
            {state.secret}
          </code>
        </p>
      )}
    </form>
  );
}

/** Stays mounted after the revoke (the page re-renders) so its result, with the node, stays visible. */
export function RevokeButton({
  action,
  id,
  name,
  revoked,
}: {
  action: Action;
  id: number;
  name: string;
  revoked: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="name" value={name} />
      {!revoked && (
        <button
          type="submit"
          disabled={pending}
          aria-label={`Revoke ${name}`}
          className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-800"
        >
          Revoke
        </button>
      )}
      <WriteResult state={state} />
    </form>
  );
}
