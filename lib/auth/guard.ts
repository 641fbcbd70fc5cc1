import 'server-only';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import type { z } from 'zod';
import type { ActionState } from '@/lib/action-state';
import { allowed, audited, type Verdict } from '@/lib/audit/audited';
import { AppError, publicError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';
import { clientAddress } from './client';
import { hasRole, type Role } from './roles';
import { currentSession, type SessionUser, sessionFromToken } from './session';
import { tokenUser } from './tokens';

/** For pages and layouts: a signed-in user with at least this role, or the login page / 403. */
export async function requirePageUser(role: Role = 'viewer'): Promise<SessionUser> {
  const user = await currentSession();
  if (!user) redirect('/login');
  if (!hasRole(user.role, role)) forbidden();
  return user;
}

/** The caller of a route handler: a bearer token or the session cookie. */
export async function requestUser(
  request: Request,
): Promise<(SessionUser & { via: 'token' | 'cookie' }) | null> {
  const auth = request.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) {
    const user = await tokenUser(auth.slice(7).trim());
    return user && { ...user, via: 'token' };
  }
  const cookie = request.headers.get('cookie') ?? '';
  const m = /(?:^|;\s*)sipha_session=([^;]+)/.exec(cookie);
  const user = await sessionFromToken(m?.[1] ? safeDecode(m[1]) : undefined);
  return user && { ...user, via: 'cookie' };
}

/** A cookie value that is not valid percent-encoding is no session, not a server error. */
function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BODY_TYPES = ['application/json', 'text/csv'];

/**
 * Why a cookie-authenticated mutation must be refused as cross-site, or null. SameSite=Lax
 * does not cover another port of the same host, and a text/plain form post needs no preflight.
 */
export function crossSiteReason(request: Request): string | null {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  const origin = request.headers.get('origin');
  if (origin !== null && hostOf(origin) !== request.headers.get('host')) return `Origin: ${origin}`;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  const hasBody =
    Number(request.headers.get('content-length') ?? 0) > 0 || request.headers.has('transfer-encoding');
  if ((type || hasBody) && !BODY_TYPES.includes(type ?? ''))
    return `Content-Type: ${type || 'none'} (send ${BODY_TYPES.join(' or ')})`;
  return null;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function jsonError(err: unknown): Response {
  const e = publicError(err);
  return Response.json(
    { error: { code: e.code, message: e.message, fields: e.fields ?? {} } },
    { status: e.status },
  );
}

/** A route's mutation: `audited` with the route's actor, action and `via: 'api'` filled in. */
export type Mutate = <T>(
  m: Omit<Parameters<typeof audited<T>>[0], 'actor' | 'action' | 'verdict'> & { action?: string },
) => Promise<T>;

type Handler<C> = (request: Request, ctx: C & { user: SessionUser; mutate: Mutate }) => Promise<Response>;

/** The role check's verdict for a caller. */
function roleVerdict(user: SessionUser, role: Role, from = ''): Verdict {
  if (hasRole(user.role, role)) return allowed;
  return {
    allowed: false,
    code: 'forbidden:role',
    message: `This needs the ${role} role; you have ${user.role}.`,
    detail: `role ${user.role} lacks ${role}${from}`,
  };
}

/**
 * Route handlers: authenticate, check the role (and, for a cookie-authenticated mutation, the
 * origin) on the server, and turn every error into the JSON error shape. A refused mutation is
 * audited; a mutating handler writes through `ctx.mutate`.
 */
export function withRoute<C>(role: Role, action: string | null, handler: Handler<C>) {
  return async (request: Request, ctx: C): Promise<Response> => {
    try {
      const user = await requestUser(request);
      if (!user) throw new AppError('unauthorized:session', 'Sign in or send a valid bearer token.');
      const crossSite = user.via === 'cookie' && MUTATING.has(request.method) && crossSiteReason(request);
      const verdict: Verdict = crossSite
        ? {
            allowed: false,
            code: 'forbidden:origin',
            message: 'Refused: this request did not come from the console itself.',
            detail: `cross-site request refused; ${crossSite}`.slice(0, 300),
          }
        : roleVerdict(user, role);
      if (!verdict.allowed) {
        if (!action && !crossSite) throw new AppError(verdict.code, verdict.message);
        const path = new URL(request.url).pathname;
        await audited({
          actor: user.actor,
          action: action ?? `${request.method.toLowerCase()} api`,
          target: () => path,
          verdict,
          run: async () => null,
        });
      }
      const mutate: Mutate = (m) =>
        audited({
          ...m,
          actor: user.actor,
          action: m.action ?? action ?? request.method,
          via: m.via ?? 'api',
        });
      return await handler(request, { ...ctx, user, mutate });
    } catch (err) {
      return jsonError(err);
    }
  };
}

export interface ActionContext {
  user: SessionUser;
}

/**
 * Server actions, always in this order: session and role, validation, one lib call,
 * revalidation, a typed state, all inside `audited`: a refusal is audited and answered with a
 * real 403; rejected input writes no row; every attempted run writes one.
 */
export function validatedAction<S extends z.ZodType>(opts: {
  role: Role;
  action: string;
  schema: S;
  revalidate?: string;
  /** What the audit row names as the target, e.g. the user being changed. */
  target?: (input: z.infer<S>) => string;
  run: (input: z.infer<S>, ctx: ActionContext) => Promise<ActionState>;
}) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const user = await currentSession();
    if (!user) redirect('/login');
    let target = '';
    let attempted = false;
    try {
      return await audited({
        actor: user.actor,
        action: opts.action,
        target: () => target,
        verdict: roleVerdict(user, opts.role, `; from ${clientAddress(await headers())}`),
        run: async (): Promise<ActionState> => {
          const parsed = opts.schema.safeParse(Object.fromEntries(formData));
          if (!parsed.success) return { status: 'invalid', fieldErrors: fieldErrors(parsed.error) };
          attempted = true;
          target = opts.target?.(parsed.data) ?? '';
          const state = await opts.run(parsed.data, { user });
          if (opts.revalidate) revalidatePath(opts.revalidate);
          return state;
        },
        outcome: (state) =>
          !attempted
            ? null
            : state.status === 'saved'
              ? { outcome: 'ok', node: state.node, detail: state.message }
              : {
                  outcome: 'failed',
                  detail: state.status === 'failed' ? state.message : 'invalid input',
                },
      });
    } catch (err) {
      const e = publicError(err);
      if (e.code === 'forbidden:role') forbidden();
      if (e.fields) return { status: 'invalid', fieldErrors: e.fields, message: e.message };
      return { status: 'failed', message: e.message };
    }
  };
}
