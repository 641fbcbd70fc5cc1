import 'server-only';
import { getConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { generatePassword } from '@/lib/generate-password';
import { hashPassword, verifyPassword } from './password';
import type { Role } from './roles';

// Console accounts (not SIP users). Failed logins lock the account with a back-off that doubles
// from 30 s up to 15 min after the fifth failure in a row.

const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;

export function lockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_FAILURES), MAX_LOCK_MS);
}

export async function createAccount(opts: { username: string; role: Role; reset?: boolean }) {
  const password = generatePassword();
  const password_hash = await hashPassword(password);
  const list = await getConnectionList();
  const { node } = await list.write({
    run: async (db) => {
      const existing = await db
        .selectFrom('sipha_account')
        .select('id')
        .where('username', '=', opts.username)
        .executeTakeFirst();
      if (existing && !opts.reset)
        throw new AppError('conflict:user', `Account ${opts.username} already exists`);
      if (existing) {
        await db
          .updateTable('sipha_account')
          .set({ password_hash, role: opts.role, failed_logins: 0, locked_until: null, disabled: 0 })
          .where('id', '=', existing.id)
          .execute();
        await db.deleteFrom('sipha_session').where('account_id', '=', existing.id).execute();
      } else {
        await db
          .insertInto('sipha_account')
          .values({ username: opts.username, password_hash, role: opts.role })
          .execute();
      }
    },
  });
  return { username: opts.username, password, role: opts.role, node };
}

export type LoginResult =
  | { ok: true; accountId: number; username: string; role: Role }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSec?: number };

// A hash computed for unknown user names too, so the answer time does not reveal which exist.
let dummyHash: Promise<string> | undefined;

export async function checkLogin(opts: { username: string; password: string }): Promise<LoginResult> {
  const list = await getConnectionList();
  const { value: account } = await list.read((db) =>
    db.selectFrom('sipha_account').selectAll().where('username', '=', opts.username).executeTakeFirst(),
  );
  if (!account || account.disabled) {
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(opts.password, await dummyHash);
    return { ok: false, reason: 'invalid' };
  }
  const now = Date.now();
  if (account.locked_until && new Date(account.locked_until).getTime() > now) {
    return {
      ok: false,
      reason: 'locked',
      retryAfterSec: Math.ceil((new Date(account.locked_until).getTime() - now) / 1000),
    };
  }
  const good = await verifyPassword(opts.password, account.password_hash);
  const failures = good ? 0 : account.failed_logins + 1;
  const lockMs = lockDurationMs(failures);
  await list.write({
    run: (db) =>
      db
        .updateTable('sipha_account')
        .set({ failed_logins: failures, locked_until: lockMs ? new Date(now + lockMs) : null })
        .where('id', '=', account.id)
        .execute(),
  });
  if (!good)
    return lockMs
      ? { ok: false, reason: 'locked', retryAfterSec: Math.ceil(lockMs / 1000) }
      : { ok: false, reason: 'invalid' };
  return { ok: true, accountId: account.id, username: account.username, role: account.role };
}
