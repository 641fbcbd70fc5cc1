// First: Next's own server sets up AsyncLocalStorage this way before its stores load.
import 'next/dist/server/node-environment-baseline.js';
import {
  getAccessFallbackHTTPStatus,
  isHTTPAccessFallbackError,
} from 'next/dist/client/components/http-access-fallback/http-access-fallback.js';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external.js';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external.js';
import { createRequestStoreForAPI } from 'next/dist/server/async-storage/request-store.js';
import { createWorkStore } from 'next/dist/server/async-storage/work-store.js';
import { IncrementalCache } from 'next/dist/server/lib/incremental-cache/index.js';
import type { Role } from '@/lib/auth/roles';

// Calls a real server action the way Next runs it: inside a request scope (Next's own stores,
// so `cookies()`, `headers()`, `revalidatePath` and `forbidden()` work) whose cookie is a real
// session of a real console account with the given role. Nothing of sipha is replaced.

// next.config.ts turns on authInterrupts; a build inlines this flag, a test sets it.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = 'true';

function inRequest<T>(page: string, cookie: string, fn: () => Promise<T>, onCookies?: (c: string[]) => void) {
  const headers = new Headers({ cookie, host: 'console' });
  const request = createRequestStoreForAPI(
    { headers } as never,
    { pathname: page, search: '' },
    { tags: [], expirationsByCacheKind: new Map() } as never,
    onCookies ?? (() => undefined),
    undefined,
    undefined,
  );
  const work = createWorkStore({
    page,
    renderOpts: {
      incrementalCache: new IncrementalCache({
        dev: true,
        requestHeaders: {},
        minimalMode: true,
        previewProps: { previewModeId: 'test', previewModeEncryptionKey: '', previewModeSigningKey: '' },
        prerenderManifest: { version: 4, routes: {}, dynamicRoutes: {}, notFoundRoutes: [], preview: {} },
      } as never),
      experimental: {},
      cacheLifeProfiles: {},
    },
    isPrefetchRequest: false,
    buildId: 'test',
    previouslyRevalidatedTags: [],
  } as never);
  return workAsyncStorage.run(work, () => workUnitAsyncStorage.run(request, fn));
}

const sessions = new Map<Role, string>();

/** A session cookie of the console account `it-<role>` (created or reset once per process). */
async function sessionCookie(role: Role): Promise<string> {
  const known = sessions.get(role);
  if (known) return known;
  const { createAccount, checkLogin } = await import('@/lib/auth/accounts');
  const { createSession, SESSION_COOKIE } = await import('@/lib/auth/session');
  const account = await createAccount({ username: `it-${role}`, role, reset: true });
  const login = await checkLogin({ username: account.username, password: account.password, address: 'test' });
  if (!login.ok) throw new Error(`it-${role} could not sign in: ${login.reason}`);
  let set: string[] = [];
  await inRequest(
    '/login',
    '',
    () => createSession(login.accountId),
    (c) => {
      set = c;
    },
  );
  const token = set.map((c) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(c)?.[1]).find(Boolean);
  if (!token) throw new Error('createSession set no session cookie');
  const cookie = `${SESSION_COOKIE}=${token}`;
  sessions.set(role, cookie);
  return cookie;
}

/** A server action's `(prevState, formData)` call made by the console account `it-<role>`. */
export async function actAs<S>(
  role: Role,
  page: string,
  action: (prev: S, form: FormData) => Promise<S>,
  prev: S,
  fields: Record<string, string>,
): Promise<S> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return inRequest(page, await sessionCookie(role), () => action(prev, form));
}

/** The HTTP status a Next interrupt (`forbidden()`, `unauthorized()`) stands for, or null. */
export function interruptStatus(err: unknown): number | null {
  return isHTTPAccessFallbackError(err) ? getAccessFallbackHTTPStatus(err) : null;
}
