import 'server-only';
import { randomBytes } from 'node:crypto';
import { getConfig } from '@/lib/config/load';
import { getConnectionList } from '@/lib/db';
import type { Role } from './roles';
import { type SessionUser, sha256 } from './session';

// API bearer tokens: shown once at creation, stored as SHA-256, scoped by role, revocable.

export async function createToken(opts: { name: string; role: Role; createdBy: string }) {
  const token = `sipha_${randomBytes(32).toString('base64url')}`;
  const list = await getConnectionList();
  const { node } = await list.write({
    run: (db) =>
      db
        .insertInto('sipha_api_token')
        .values({ name: opts.name, token_hash: sha256(token), role: opts.role, created_by: opts.createdBy })
        .execute(),
  });
  return { token, node };
}

export async function tokenUser(token: string): Promise<SessionUser | null> {
  if (!token.startsWith('sipha_') || token.length > 100) return null;
  const list = await getConnectionList();
  const { value: row } = await list.read((db) =>
    db
      .selectFrom('sipha_api_token')
      .select(['id', 'name', 'role', 'revoked_at', 'last_used_at', 'created_at'])
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst(),
  );
  if (!row || row.revoked_at) return null;
  const maxAgeDays = getConfig().apiTokens.maxAgeDays;
  if (maxAgeDays && Date.now() - new Date(row.created_at).getTime() > maxAgeDays * 86_400_000) return null;
  // "Last used" tells an operator which tokens are safe to revoke. Recorded at most once a
  // minute and without waiting: a poller must not turn every GET into a write.
  const last = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
  if (Date.now() - last > 60_000)
    void list
      .write({
        run: (db) =>
          db
            .updateTable('sipha_api_token')
            .set({ last_used_at: new Date() })
            .where('id', '=', row.id)
            .execute(),
      })
      .catch(() => undefined);
  return { accountId: 0, username: `token:${row.name}`, role: row.role, actor: `token:${row.name}` };
}

export async function listTokens() {
  const list = await getConnectionList();
  const { value } = await list.read((db) =>
    db
      .selectFrom('sipha_api_token')
      .select(['id', 'name', 'role', 'created_by', 'created_at', 'revoked_at', 'last_used_at'])
      .orderBy('id', 'desc')
      .execute(),
  );
  return value;
}

export async function revokeToken(id: number) {
  const list = await getConnectionList();
  return list.write({
    run: (db) =>
      db
        .updateTable('sipha_api_token')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
  });
}
