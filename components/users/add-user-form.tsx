'use client';

import { useActionState, useState } from 'react';
import { type ActionState, idle } from '@/lib/action-state';
import { FieldError, WriteResult } from './write-result';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function AddUserForm({
  action,
  domains,
  minLength,
}: {
  action: Action;
  domains: string[];
  minLength: number;
}) {
  const [state, formAction, pending] = useActionState(action, idle);
  const [generate, setGenerate] = useState(false);
  const errors = state.status === 'invalid' ? state.fieldErrors : {};
  return (
    <form
      action={formAction}
      noValidate
      className="space-y-3 rounded border border-slate-200 p-4"
      aria-labelledby="add-user-title"
    >
      <h2 id="add-user-title" className="font-semibold">
        Add a user
      </h2>
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor="add-username" className="block text-sm font-medium">
            Username
          </label>
          <input
            id="add-username"
            name="username"
            autoComplete="off"
            maxLength={64}
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            aria-describedby="add-username-error"
            aria-invalid={Boolean(errors.username)}
          />
          <FieldError id="add-username-error" errors={errors.username} />
        </div>
        <div>
          <label htmlFor="add-domain" className="block text-sm font-medium">
            Domain
          </label>
          <select
            id="add-domain"
            name="domain"
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            aria-describedby="add-domain-error"
          >
            {domains.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          <FieldError id="add-domain-error" errors={errors.domain} />
        </div>
        <div>
          <label htmlFor="add-password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="add-password"
            name="password"
            type="password"
            autoComplete="new-password"
            disabled={generate}
            minLength={minLength}
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1 disabled:bg-slate-100"
            aria-describedby="add-password-error"
            aria-invalid={Boolean(errors.password)}
          />
          <FieldError id="add-password-error" errors={errors.password} />
          <label className="mt-1 flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="generate"
              checked={generate}
              onChange={(e) => setGenerate(e.target.checked)}
            />
            Generate a password
          </label>
        </div>
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
      >
        {pending ? 'Adding…' : 'Add user'}
      </button>
      <WriteResult state={state} />
      {state.status === 'saved' && state.secret && (
        <p className="text-sm">
          Generated password (shown once):{' '}
          <code data-testid="generated-password" className="rounded bg-slate-100 px-1 font-mono">
            {state.secret}
          </code>
        </p>
      )}
    </form>
  );
}
