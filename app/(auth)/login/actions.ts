'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-state';
import { audited, printable } from '@/lib/audit/audited';
import { audit } from '@/lib/audit/log';
import { checkLogin } from '@/lib/auth/accounts';
import { clientAddress } from '@/lib/auth/client';
import { createSession, currentSession, destroySession, secureCookie } from '@/lib/auth/session';
import { DEVICE_COOKIE } from '@/lib/auth/throttle';
import { publicError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';

const loginSchema = z.object({
  username: z.string().trim().min(1, 'Enter your user name').max(64),
  password: z.string().min(1, 'Enter your password').max(200),
});

// The one action without a session check: it is how a session starts. Its rows are written
// directly: who the actor is (a user, or 'anonymous') is only known after the check.
export async function login(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return {
      status: 'invalid',
      fieldErrors: fieldErrors(parsed.error),
    };
  const { username } = parsed.data;
  const address = clientAddress(await headers());
  const jar = await cookies();
  try {
    const result = await checkLogin({ ...parsed.data, address, device: jar.get(DEVICE_COOKIE)?.value });
    if (!result.ok) {
      // The typed name is what someone tried, not who they are: never the actor of the row.
      await audit({
        actor: 'anonymous',
        action: 'login',
        target: `attempted ${printable(username, 64)}`,
        outcome: 'refused',
        detail: `${result.reason}; from ${address}`,
      });
      return result.reason === 'locked'
        ? {
            status: 'failed',
            message: `Too many failed attempts. Try again in ${result.retryAfterSec ?? 30} s.`,
          }
        : { status: 'failed', message: 'Wrong user name or password.' };
    }
    await createSession(result.accountId);
    jar.set(DEVICE_COOKIE, result.device, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie(),
      path: '/login',
      maxAge: 365 * 24 * 3600,
    });
    await audit({ actor: result.username, action: 'login', target: result.username, outcome: 'ok' });
  } catch (err) {
    return { status: 'failed', message: publicError(err).message };
  }
  redirect('/');
}

export async function logout(): Promise<void> {
  const user = await currentSession();
  if (user)
    await audited({ actor: user.actor, action: 'logout', target: () => user.actor, run: destroySession });
  else await destroySession();
  redirect('/login');
}
