import 'server-only';
import type { Kysely } from 'kysely';
import { clusters, connectionListOf } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { errorErrno } from '@/lib/db/classify';
import type { DB } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { generatePassword } from '@/lib/generate-password';
import { type Owner, ownerForWrite } from '@/lib/shards/owner';
import type { UserKey } from './cursor';
import { digestHashes } from './hash';

// Writes to Kamailio's subscriber table, each through the connection list with a verify step:
// if the connection breaks mid-write, the next node is asked whether the write is already
// there (it may have replicated) before anything is repeated.

const ER_DUP_ENTRY = 1062;

export interface WriteResult {
  node: string;
  /** Set when the write did not land on the first configured node. */
  warning?: string;
  verified?: boolean;
  /** The owning cluster, when more than one is configured (issue 14). */
  cluster?: string;
}

/** Where a write landed, as the write path reported it, and the owning cluster. */
export function landed(r: { node: string; verified?: boolean; warning?: string }, owner: Owner): WriteResult {
  return { node: r.node, warning: r.warning, verified: r.verified, cluster: owner.named };
}

/**
 * Where a write goes: the owning cluster by the shard map, or the cluster the console names for
 * an account of its own (a SIP server's probe account lives where that server authenticates).
 */
async function writeOwner(opts: UserKey & { cluster?: string }): Promise<Owner> {
  if (!opts.cluster) return ownerForWrite(opts);
  const named = clusters().length > 1 ? opts.cluster : undefined;
  return { cluster: opts.cluster, list: await connectionListOf(opts.cluster), named };
}

const exists = () =>
  new AppError('conflict:user', 'This user already exists.', { fields: { username: ['already exists'] } });

function findOne(db: Kysely<DB>, key: UserKey) {
  return db
    .selectFrom('subscriber')
    .select(['id', 'username', 'domain', 'ha1'])
    .where('username', '=', key.username)
    .where('domain', '=', key.domain)
    .executeTakeFirst();
}

export async function createUser(
  opts: UserKey & { password?: string; cluster?: string },
): Promise<WriteResult & { generatedPassword?: string }> {
  const cfg = getConfig();
  const password = opts.password ?? generatePassword(16);
  const h = digestHashes({ username: opts.username, domain: opts.domain, password });
  const row = {
    username: opts.username,
    domain: opts.domain,
    password: cfg.users.storePlaintextPasswords ? password : '',
    ...h,
  };
  const owner = await writeOwner(opts);
  const { list } = owner;
  try {
    const r = await list.write({
      atomic: true,
      run: async (db) => {
        await db.insertInto('subscriber').values(row).execute();
        return true;
      },
      // Same user with the same HA1 already there: our own write, replicated before the break.
      verify: async (db) => ((await findOne(db, opts))?.ha1 === h.ha1 ? true : undefined),
    });
    return { ...landed(r, owner), generatedPassword: opts.password ? undefined : password };
  } catch (err) {
    if (errorErrno(err) === ER_DUP_ENTRY) throw exists();
    throw err;
  }
}

export async function setPassword(
  opts: UserKey & { password: string; cluster?: string },
): Promise<WriteResult> {
  const cfg = getConfig();
  const owner = await writeOwner(opts);
  // The key matches case-insensitively; the hashes are over the spelling Kamailio has stored.
  let ha1: string | undefined;
  const r = await owner.list.write({
    atomic: true,
    run: async (db) => {
      const row = await findOne(db, opts);
      if (!row) throw new AppError('not_found:user', 'No such user.');
      const h = digestHashes({ username: row.username, domain: row.domain, password: opts.password });
      ha1 = h.ha1;
      await db
        .updateTable('subscriber')
        .set({ ...h, password: cfg.users.storePlaintextPasswords ? opts.password : '' })
        .where('id', '=', row.id)
        .executeTakeFirst();
      return true;
    },
    verify: async (db) => ((await findOne(db, opts))?.ha1 === ha1 && ha1 ? true : undefined),
  });
  return landed(r, owner);
}

/** Removes the subscriber and its registrations (`location` rows), as `kamctl rm` does. */
export async function deleteUser(opts: UserKey): Promise<WriteResult & { registrations: number }> {
  const owner = await ownerForWrite(opts);
  const r = await owner.list.write({
    atomic: true,
    run: (db) =>
      db.transaction().execute(async (tx) => {
        const sub = await tx
          .deleteFrom('subscriber')
          .where('username', '=', opts.username)
          .where('domain', '=', opts.domain)
          .executeTakeFirst();
        if (Number(sub.numDeletedRows) === 0) throw new AppError('not_found:user', 'No such user.');
        const loc = await tx
          .deleteFrom('location')
          .where('username', '=', opts.username)
          .where('domain', '=', opts.domain)
          .executeTakeFirst();
        return Number(loc.numDeletedRows);
      }),
    verify: async (db) => ((await findOne(db, opts)) ? undefined : 0),
  });
  return { ...landed(r, owner), registrations: r.value };
}
