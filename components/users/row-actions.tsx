'use client';

import { useActionState, useState } from 'react';
import { type ActionState, idle } from '@/lib/action-state';
import { FieldError, WriteResult } from './write-result';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** Change password and delete (with a confirmation step) for one user row. */
export function RowActions({
  username,
  domain,
  setPassword,
  remove,
}: {
  username: string;
  domain: string;
  setPassword: Action;
  remove: Action;
}) {
  const [pwState, pwAction, pwPending] = useActionState(setPassword, idle);
  const [delState, delAction, delPending] = useActionState(remove, idle);
  const [mode, setMode] = useState<'none' | 'password' | 'delete'>('none');
  const who = `${username}@${domain}`;
  const errors = pwState.status === 'invalid' ? pwState.fieldErrors : {};
  const fieldId = `pw-${username}-${domain}`.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0)}`);
  if (delState.status === 'saved') return <WriteResult state={delState} />;
  return (
    <div className="space-y-1">
      <div className="flex gap-2">
        <button
          type="button"
          className="rounded border border-slate-300 px-2 py-0.5 text-xs"
          aria-label={`Change password of ${who}`}
          onClick={() => setMode(mode === 'password' ? 'none' : 'password')}
        >
          Change password
        </button>
        <button
          type="button"
          className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-800"
          aria-label={`Delete ${who}`}
          onClick={() => setMode(mode === 'delete' ? 'none' : 'delete')}
        >
          Delete
        </button>
      </div>
      {mode === 'password' && (
        <form action={pwAction} noValidate className="flex flex-wrap items-start gap-2">
          <input type="hidden" name="username" value={username} />
          <input type="hidden" name="domain" value={domain} />
          <div>
            <label htmlFor={fieldId} className="sr-only">
              New password for {who}
            </label>
            <input
              id={fieldId}
              name="password"
              type="password"
              autoComplete="new-password"
              placeholder="New password"
              className="rounded border border-slate-300 px-2 py-0.5 text-sm"
              aria-describedby={`${fieldId}-error`}
            />
            <FieldError id={`${fieldId}-error`} errors={errors.password ?? errors.username} />
          </div>
          <button
            type="submit"
            disabled={pwPending}
            className="rounded bg-slate-900 px-2 py-0.5 text-xs text-white"
          >
            Save password
          </button>
        </form>
      )}
      {mode === 'delete' && (
        <form action={delAction} className="flex items-center gap-2 text-sm">
          <input type="hidden" name="username" value={username} />
          <input type="hidden" name="domain" value={domain} />
          <span>Delete {who} and its registrations?</span>
          <button
            type="submit"
            disabled={delPending}
            className="rounded bg-red-700 px-2 py-0.5 text-xs text-white"
          >
            Yes, delete {username}
          </button>
          <button
            type="button"
            onClick={() => setMode('none')}
            className="rounded border px-2 py-0.5 text-xs"
          >
            Cancel
          </button>
        </form>
      )}
      <WriteResult state={pwState} />
      <WriteResult state={delState} />
    </div>
  );
}
