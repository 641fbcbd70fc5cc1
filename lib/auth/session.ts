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
 * Sessions this process verified against the database lately. While no database node answers
 * (a Galera cluster's full outage, every node of a pair down) the admin who is signed in must
 * stay signed in to bring the nodes back from the console: such a session is accepted from here
 * for up to OUTAGE_GRACE_MS after its last verification, never past its expiry. A new sign-in
 * always needs the database.
 */
const OUTAGE_GRACE_MS = 30 * 60_000;
const g = globalThis as unknown as { __siphaVerified?: Map<string, { user: SessionUser; until: number }> };
g.__siphaVerified ??= new Map();
const verified = g.__siphaVerified;

function duringOutage(token: string, err: unknown): SessionUser {
  const known = verified.get(sha256(token));
  if (err instanceof AppError && err.code === 'unavailable:database' && known && known.until > Date.now())
    return known.user;
  throw err;
}

export async function sessionFromToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  try {
    const user = await verifySession(token);
    if (user) {
      if (verified.size > 1000) for (const [k, v] of verified) if (v.until <= Date.now()) verified.delete(k);
      verified.set(sha256(token), user);
    } else verified.delete(sha256(token));
    return user?.user ?? null;
  } catch (err) {
    return duringOutage(token, err);
  }
}

async function verifySession(token: string): Promise<{ user: SessionUser; until: number } | null> {
  const list = await getConnectionList();
  const { value: row } = await list.read((db) =>
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
      .where('s.id_hash', '=', sha256(token))
      .executeTakeFirst(),
  );
  const now = Date.now();
  if (!row || row.disabled || new Date(row.expires_at).getTime() < now) return null;
  const seen = new Date(row.last_seen_at ?? row.created_at).getTime();
  const idle = getConfig().session.idleMinutes;
  if (idle && now - seen > idle * 60_000) return null;
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
  return {
    user: { accountId: row.id, username: row.username, role: row.role, actor: row.username },
    until: Math.min(new Date(row.expires_at).getTime(), now + OUTAGE_GRACE_MS),
  };
}

export async function currentSession(): Promise<SessionUser | null> {
  return sessionFromToken((await cookies()).get(SESSION_COOKIE)?.value);
}

export async function destroySession(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) {
    const list = await getConnectionList();
    await list
      .write({ run: (db) => db.deleteFrom('sipha_session').where('id_hash', '=', sha256(token)).execute() })
      .catch(() => undefined);
  }
  jar.delete(SESSION_COOKIE);
}
