import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { cookies } from 'next/headers';
import { getConfig } from '@/lib/config/load';
import { getConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { Role } from './roles';

// Sessions are random 256-bit tokens in an httpOnly cookie; the database keeps only their
// SHA-256, so a leaked sipha_session table cannot be replayed.

export const SESSION_COOKIE = 'sipha_session';

export interface SessionUser {
  accountId: number;
  username: string;
  role: Role;
  /** How the audit log names this caller. */
  actor: string;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const secureCookie = () => getConfig().session.secureCookie ?? process.env.NODE_ENV === 'production';

export async function createSession(accountId: number): Promise<void> {
  const cfg = getConfig();
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + cfg.session.maxAgeHours * 3600_000);
  const list = await getConnectionList();
  await list.write({
    run: (db) =>
      db
        .insertInto('sipha_session')
        .values({ id_hash: sha256(token), account_id: accountId, expires_at: expires })
        .execute(),
  });
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookie(),
    path: '/',
    expires,
  });
}

/**
 * Sessions this process confirmed against the database. Used only while no node answers (a
 * full outage of a Galera cluster): without them nobody could sign in to recover it from the
 * browser. Any answer from the database replaces what is kept here.
 */
interface Kept {
  user: SessionUser;
  expiresAt: number;
  confirmedAt: number;
}
// One map for every module graph Next loads this file in (pages, actions, route handlers).
const KEPT = Symbol.for('sipha.confirmedSessions');
const shared = globalThis as { [KEPT]?: Map<string, Kept> };
shared[KEPT] ??= new Map();
const confirmed = shared[KEPT];
/** How long after its last confirmation a kept session still counts during an outage. */
export const OUTAGE_SESSION_MS = 30 * 60_000;
const KEPT_MAX = 1000;

function duringOutage(hash: string, err: unknown): SessionUser {
  const kept = confirmed.get(hash);
  const now = Date.now();
  if (
    err instanceof AppError &&
    err.code === 'unavailable:database' &&
    kept &&
    kept.expiresAt > now &&
    now - kept.confirmedAt < OUTAGE_SESSION_MS
  )
    return kept.user;
  throw err;
}

export async function sessionFromToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  const hash = sha256(token);
  const list = await getConnectionList();
  const read = await list
    .read((db) =>
      db
        .selectFrom('sipha_session as s')
        .innerJoin('sipha_account as a', 'a.id', 's.account_id')
        .select([
          'a.id',
          'a.username',
          'a.role',
          'a.disabled',
          's.expires_at',
          's.created_at',
          's.last_seen_at',
        ])
        .where('s.id_hash', '=', hash)
        .executeTakeFirst(),
    )
    .then(
      (r) => ({ row: r.value }),
      (err: unknown) => ({ kept: duringOutage(hash, err) }),
    );
  if ('kept' in read) return read.kept;
  const { row } = read;
  const now = Date.now();
  confirmed.delete(hash);
  if (!row || row.disabled || new Date(row.expires_at).getTime() < now) return null;
  const seen = new Date(row.last_seen_at ?? row.created_at).getTime();
  const idle = getConfig().session.idleMinutes;
  if (idle && now - seen > idle * 60_000) return null;
  const user: SessionUser = {
    accountId: row.id,
    username: row.username,
    role: row.role,
    actor: row.username,
  };
  if (confirmed.size >= KEPT_MAX) confirmed.delete(confirmed.keys().next().value!);
  confirmed.set(hash, { user, expiresAt: new Date(row.expires_at).getTime(), confirmedAt: now });
  // Recorded at most once a minute (twice per idle period) and without waiting.
  if (now - seen > Math.min(60_000, (idle ?? 2) * 30_000))
    void list
      .write({
        run: (db) =>
          db
            .updateTable('sipha_session')
            .set({ last_seen_at: new Date(now) })
            .where('id_hash', '=', sha256(token))
            .execute(),
      })
      .catch(() => undefined);
  return user;
}

export async function currentSession(): Promise<SessionUser | null> {
  return sessionFromToken((await cookies()).get(SESSION_COOKIE)?.value);
}

export async function destroySession(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) {
    confirmed.delete(sha256(token));
    const list = await getConnectionList();
    await list
      .write({ run: (db) => db.deleteFrom('sipha_session').where('id_hash', '=', sha256(token)).execute() })
      .catch(() => undefined);
  }
  jar.delete(SESSION_COOKIE);
}
