import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '@/lib/db/schema';

// Failed logins are counted per (source, typed user name): five free, then a lock that doubles
// from 30 s up to 15 min. A source is the browser's device cookie when it has signed in to this
// account before (OWASP "device cookies"), else the client address (X-Forwarded-For only with
// trustProxy), so an attacker elsewhere can never lock the owner out of a known browser.

export const DEVICE_COOKIE = 'sipha_device';
const FREE_FAILURES = 5;

export function lockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_FAILURES), 15 * 60_000);
}

const mac = (key: string, username: string, nonce: string) =>
  createHmac('sha256', key).update(`device:${username.toLowerCase()}:${nonce}`).digest('base64url');

/** A device cookie for this account; keyed by its password hash, so a new password voids it. */
export function deviceCookie(account: { username: string; password_hash: string }): string {
  const nonce = randomBytes(12).toString('base64url');
  return `${nonce}.${mac(account.password_hash, account.username, nonce)}`;
}

/** The throttling source: `device:…` for a valid device cookie of this account, else the address. */
export function loginSource(opts: {
  address: string;
  device?: string;
  account?: { username: string; password_hash: string };
}): string {
  const [nonce, tag] = (opts.device ?? '').split('.');
  if (nonce && tag && opts.account) {
    const want = Buffer.from(mac(opts.account.password_hash, opts.account.username, nonce));
    const got = Buffer.from(tag);
    if (want.length === got.length && timingSafeEqual(want, got)) return `device:${nonce}`;
  }
  return `ip:${opts.address}`.slice(0, 96);
}

export async function lockedFor(db: Kysely<DB>, source: string, username: string): Promise<number> {
  const row = await db
    .selectFrom('sipha_login_throttle')
    .select('locked_until')
    .where('source', '=', source)
    .where('username', '=', username)
    .executeTakeFirst();
  const until = row?.locked_until ? new Date(row.locked_until).getTime() : 0;
  return Math.max(0, until - Date.now());
}

/**
 * One failure, counted in a single statement so parallel guesses each count (MySQL evaluates
 * the assignments left to right: the lock sees the incremented count). Returns the lock in ms.
 */
export async function countFailure(db: Kysely<DB>, source: string, username: string): Promise<number> {
  await sql`INSERT INTO sipha_login_throttle (source, username, failures, locked_until, updated_at)
    VALUES (${source}, ${username}, 1, NULL, NOW(3))
    ON DUPLICATE KEY UPDATE failures = failures + 1,
      locked_until = IF(failures >= ${FREE_FAILURES},
        NOW(3) + INTERVAL LEAST(30 * POW(2, failures - ${FREE_FAILURES}), 900) SECOND, NULL),
      updated_at = NOW(3)`.execute(db);
  return lockedFor(db, source, username);
}

export async function clearFailures(db: Kysely<DB>, source: string, username: string): Promise<void> {
  await db
    .deleteFrom('sipha_login_throttle')
    .where('source', '=', source)
    .where('username', '=', username)
    .execute();
}
