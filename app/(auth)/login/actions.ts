'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-state';
import { audit } from '@/lib/audit/log';
import { checkLogin } from '@/lib/auth/accounts';
import { createSession, destroySession } from '@/lib/auth/session';
import { publicError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';

const loginSchema = z.object({
  username: z.string().trim().min(1, 'Enter your user name').max(64),
  password: z.string().min(1, 'Enter your password').max(200),
});

// The one action without a session check: it is how a session starts.
export async function login(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return {
      status: 'invalid',
      fieldErrors: fieldErrors(parsed.error),
    };
  const { username } = parsed.data;
  try {
    const result = await checkLogin(parsed.data);
    if (!result.ok) {
      await audit({
        actor: username,
        action: 'login',
        target: username,
        outcome: 'refused',
        detail: result.reason,
      });
      return result.reason === 'locked'
        ? {
            status: 'failed',
            message: `Too many failed attempts. Try again in ${result.retryAfterSec ?? 30} s.`,
          }
        : { status: 'failed', message: 'Wrong user name or password.' };
    }
    await createSession(result.accountId);
    await audit({ actor: username, action: 'login', target: username, outcome: 'ok' });
  } catch (err) {
    return { status: 'failed', message: publicError(err).message };
  }
  redirect('/');
}

export async function logout(): Promise<void> {
  await destroySession();
  redirect('/login');
}
