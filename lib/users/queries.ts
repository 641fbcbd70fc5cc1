import 'server-only';
import type { ExpressionBuilder, Kysely } from 'kysely';
import { acrossClusters } from '@/lib/clusters/across';
import { clusters, connectionListOf } from '@/lib/clusters/registry';
import type { ClusterUnavailable } from '@/lib/clusters/unavailable-words';
import type { ConnectionList } from '@/lib/db';
import { likePrefix } from '@/lib/db/like-prefix';
import type { DB } from '@/lib/db/schema';
import { ownerOf } from '@/lib/shards/owner';
import { decodeCursor, encodeCursor, type UserKey } from './cursor';
import { mergePages } from './merge-pages';

// Reads of Kamailio's subscriber table. Pages are keyset-paginated on the unique
// (username, domain) index: a page costs the same at row 10 or row 10 million; never OFFSET.

export interface UserRow {
  id: number;
  username: string;
  domain: string;
}

export interface UserFilter {
  prefix?: string;
  domain?: string;
  /** Match nothing (a search text that no stored row can hold). */
  none?: boolean;
}

export interface UserPage {
  users: UserRow[];
  /** Cursor of the next page (after the last row), or null at the end. */
  next: string | null;
  /** Cursor of the previous page (before the first row), or null at the start. */
  prev: string | null;
  matching: number;
  total: number;
  node: string;
  /**
   * With more than one cluster: true when a cluster did not answer, so rows, counts and the pages
   * after are those of the clusters that did. Absent with one cluster.
   */
  partial?: boolean;
  /** The clusters that did not answer, each with the reason in words. */
  unavailable?: ClusterUnavailable[];
}

function filtered(eb: ExpressionBuilder<DB, 'subscriber'>, f: UserFilter) {
  const conds = [];
  if (f.none) return eb.lit(false);
  if (f.prefix) conds.push(eb('username', 'like', likePrefix(f.prefix)));
  if (f.domain) conds.push(eb('domain', '=', f.domain));
  return eb.and(conds);
}

async function pageRows(db: Kysely<DB>, f: UserFilter, limit: number, after?: UserKey, before?: UserKey) {
  let q = db
    .selectFrom('subscriber')
    .select(['id', 'username', 'domain'])
    .where((eb) => filtered(eb, f));
  if (after)
    q = q.where((eb) => eb(eb.refTuple('username', 'domain'), '>', eb.tuple(after.username, after.domain)));
  if (before)
    q = q.where((eb) => eb(eb.refTuple('username', 'domain'), '<', eb.tuple(before.username, before.domain)));
  const dir = before ? 'desc' : 'asc';
  const rows = await q
    .orderBy('username', dir)
    .orderBy('domain', dir)
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (before) page.reverse();
  return { page, more };
}

export type PageOptions = UserFilter & { after?: string | null; before?: string | null; limit?: number };

/**
 * One page over every cluster (issue 14); with one cluster, exactly the page of its list. A
 * cluster that does not answer is left out and named in `unavailable`; the others still page.
 */
export async function listUsers(opts: PageOptions): Promise<UserPage> {
  const all = clusters();
  if (all.length === 1) return listUsersOn(await connectionListOf(all[0]!.name), opts);
  const { answered, unavailable } = await acrossClusters({
    clusters: all.map((c) => c.name),
    read: async (c) => listUsersOn(await connectionListOf(c), opts),
  });
  return {
    ...mergePages(
      answered.map((a) => a.value),
      opts,
    ),
    partial: unavailable.length > 0,
    unavailable,
  };
}

export async function listUsersOn(list: ConnectionList, opts: PageOptions): Promise<UserPage> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const after = decodeCursor(opts.after);
  const before = after ? undefined : decodeCursor(opts.before);
  const { value, node } = await list.read(async (db) => {
    const { page, more } = await pageRows(db, opts, limit, after, before);
    const counts = await db
      .selectFrom('subscriber')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when(filtered(eb, opts)).then(1).else(0).end()).as('matching'),
      ])
      .executeTakeFirstOrThrow();
    return { page, more, counts };
  });
  const { page, more, counts } = value;
  const first = page[0];
  const last = page.at(-1);
  return {
    users: page,
    next: last && (before || more) ? encodeCursor(last) : null,
    prev: first && (after || (before && more)) ? encodeCursor(first) : null,
    matching: Number(counts.matching ?? 0),
    total: Number(counts.total),
    node,
  };
}

export async function getUser(key: UserKey): Promise<UserRow | undefined> {
  const { list } = await ownerOf(key);
  const { value } = await list.read((db) =>
    db
      .selectFrom('subscriber')
      .select(['id', 'username', 'domain'])
      .where('username', '=', key.username)
      .where('domain', '=', key.domain)
      .executeTakeFirst(),
  );
  return value;
}

/** Every user, in key order, a batch at a time: the export never holds the table in memory. */
export async function* allUsers(opts: UserFilter & { batch?: number } = {}): AsyncGenerator<UserRow[]> {
  // Cluster after cluster: every user once, in key order within each cluster.
  for (const c of clusters()) yield* usersOn(await connectionListOf(c.name), opts);
}

async function* usersOn(
  list: ConnectionList,
  opts: UserFilter & { batch?: number },
): AsyncGenerator<UserRow[]> {
  let after: UserKey | undefined;
  for (;;) {
    const { value } = await list.read((db) => pageRows(db, opts, opts.batch ?? 5000, after));
    if (value.page.length) yield value.page;
    if (!value.more) return;
    after = value.page.at(-1);
  }
}
