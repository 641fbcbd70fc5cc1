import 'server-only';
import { getConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { generatePassword } from '@/lib/generate-password';
import { hashPassword, verifyPassword } from './password';
import type { Role } from './roles';
import { clearFailures, countFailure, deviceCookie, lockedFor, loginSource } from './throttle';

// Console accounts (not SIP users). Failed logins are throttled in ./throttle.ts.

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
        await db.deleteFrom('sipha_login_throttle').where('username', '=', opts.username).execute();
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
  | { ok: true; accountId: number; username: string; role: Role; device: string }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSec?: number };

// A hash checked for unknown user names too: an unknown name costs the same reads, the same
// scrypt and the same throttle write as a real one, and gets the same answers.
let dummyHash: Promise<string> | undefined;

export async function checkLogin(opts: {
  username: string;
  password: string;
  /** The client address (see clientAddress) and the browser's device cookie, if any. */
  address: string;
  device?: string;
}): Promise<LoginResult> {
  const list = await getConnectionList();
  const { value } = await list.read(async (db) => {
    const account = await db
      .selectFrom('sipha_account')
      .selectAll()
      .where('username', '=', opts.username)
      .executeTakeFirst();
    const source = loginSource({ address: opts.address, device: opts.device, account });
    return { account, source, lockedMs: await lockedFor(db, source, opts.username) };
  });
  const { account, source, lockedMs } = value;
  if (lockedMs > 0) return { ok: false, reason: 'locked', retryAfterSec: Math.ceil(lockedMs / 1000) };
  dummyHash ??= hashPassword('not-a-password');
  const verified = await verifyPassword(opts.password, account?.password_hash ?? (await dummyHash));
  if (!account || account.disabled || !verified) {
    const { value: lockMs } = await list.write({ run: (db) => countFailure(db, source, opts.username) });
    return lockMs > 0
      ? { ok: false, reason: 'locked', retryAfterSec: Math.ceil(lockMs / 1000) }
      : { ok: false, reason: 'invalid' };
  }
  await list.write({ run: (db) => clearFailures(db, source, opts.username) });
  return {
    ok: true,
    accountId: account.id,
    username: account.username,
    role: account.role,
    device: deviceCookie(account),
  };
}
