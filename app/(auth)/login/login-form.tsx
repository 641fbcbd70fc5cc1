'use client';

import { useActionState, useState } from 'react';
import { idle } from '@/lib/action-state';
import { login } from './actions';

export function LoginForm() {
  const [state, action, pending] = useActionState(login, idle);
  // Controlled, so a failed attempt keeps the user name (React resets uncontrolled fields).
  const [username, setUsername] = useState('');
  const fieldErrors = state.status === 'invalid' ? state.fieldErrors : {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          User name
        </label>
        <input
          id="username"
          name="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
          className="mt-1 w-full rounded border border-slate-300 px-3 py-2"
          aria-describedby="username-error"
        />
        <p id="username-error" className="mt-1 text-sm text-red-700">
          {fieldErrors.username?.join(' ')}
        </p>
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded border border-slate-300 px-3 py-2"
          aria-describedby="password-error"
        />
        <p id="password-error" className="mt-1 text-sm text-red-700">
          {fieldErrors.password?.join(' ')}
        </p>
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-slate-900 px-4 py-2 font-medium text-white disabled:opacity-60"
      >
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      <p aria-live="polite" className="text-sm text-red-700">
        {state.status === 'failed' ? state.message : ''}
      </p>
    </form>
  );
}
