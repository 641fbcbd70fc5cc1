import 'server-only';
import { type Kysely, sql } from 'kysely';
import { getConfig } from '@/lib/config/load';
import { type ConnectionList, getConnectionList } from '@/lib/db';
import { likePrefix } from '@/lib/db/like-prefix';
import type { DB } from '@/lib/db/schema';
import { afterCursor, decodeCursor, encodeCursor, parseAorPrefix } from './cursor';
import type { Registration, RegistrationPage } from './types';

// Registrations straight from Kamailio's `location` table on the active node (usrloc
// db_mode=3 makes the table the truth). Keyset pages only: see cursor.ts.

export const PAGE_SIZE = 50;

export interface ListArgs {
  /** AOR prefix: "user1" or "user1@lab". */
  q?: string;
  serverId?: number;
  /** Exact user (and domain): the per-user view on a user's page. */
  username?: string;
  domain?: string | null;
  after?: string | null;
  limit?: number;
  /** For tests and benchmarks: a list other than the console's own. */
  list?: ConnectionList;
}

export function serverNames(): Map<number, string> {
  return new Map(getConfig().sipServers.map((s) => [s.serverId, s.name]));
}

export async function queryRegistrations(
  db: Kysely<DB>,
  args: ListArgs,
): Promise<{ rows: Registration[]; next: string | null }> {
  const limit = Math.min(Math.max(args.limit ?? PAGE_SIZE, 1), 500);
  const names = args.list ? new Map<number, string>() : serverNames();
  let q = db
    .selectFrom('location')
    .select([
      'id',
      'ruid',
      'username',
      'domain',
      'contact',
      'received',
      'path',
      'q',
      'user_agent',
      'socket',
      'server_id',
      'last_modified',
      sql<number>`TIMESTAMPDIFF(SECOND, NOW(), expires)`.as('expires_in'),
    ]);
  const aor = parseAorPrefix(args.q ?? '');
  if (aor.userPrefix) q = q.where('username', 'like', likePrefix(aor.userPrefix));
  if (aor.user !== undefined) q = q.where('username', '=', aor.user);
  if (aor.domainPrefix) q = q.where('domain', 'like', likePrefix(aor.domainPrefix));
  if (args.username !== undefined) q = q.where('username', '=', args.username);
  if (args.domain !== undefined)
    q = args.domain === null ? q.where('domain', 'is', null) : q.where('domain', '=', args.domain);
  if (args.serverId !== undefined) q = q.where('server_id', '=', args.serverId);
  const cursor = decodeCursor(args.after);
  if (cursor) q = q.where((eb) => afterCursor(eb, cursor));
  const rows = await q
    .orderBy('username')
    .orderBy('domain')
    .orderBy('contact')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map((r): Registration => {
    const expiresIn = Number(r.expires_in);
    return {
      id: r.id,
      ruid: r.ruid,
      aor: r.domain ? `${r.username}@${r.domain}` : r.username,
      username: r.username,
      domain: r.domain,
      contact: r.contact,
      received: r.received,
      path: r.path,
      expiresIn,
      expired: expiresIn <= 0,
      q: Number(r.q),
      userAgent: r.user_agent,
      socket: r.socket,
      serverId: r.server_id,
      server: names.get(r.server_id) ?? null,
      lastModified: new Date(r.last_modified).toISOString(),
    };
  });
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    rows: page,
    next: last
      ? encodeCursor({ username: last.username, domain: last.domain, contact: last.contact, id: last.id })
      : null,
  };
}

/** One page of registrations from the active node. */
export async function listRegistrations(args: ListArgs = {}): Promise<RegistrationPage> {
  const list = args.list ?? (await getConnectionList());
  const served = await list.read((db) => queryRegistrations(db, args), 3000);
  return { ...served.value, node: served.node, at: new Date().toISOString() };
}
