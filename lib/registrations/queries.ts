import 'server-only';
import { type Kysely, sql } from 'kysely';
import { acrossClusters } from '@/lib/clusters/across';
import { chosenCluster, clusterNamed, clusters, connectionListOf } from '@/lib/clusters/registry';
import type { ConnectionList } from '@/lib/db';
import { likePrefix } from '@/lib/db/like-prefix';
import type { DB } from '@/lib/db/schema';
import { afterCursor, decodeCursor, encodeCursor, parseAorPrefix } from './cursor';
import { mergePages, PAGE_SIZE } from './merge-pages';
import type { Registration, RegistrationPage } from './types';

// Registrations straight from Kamailio's `location` table on the active node (usrloc
// db_mode=3 makes the table the truth). Keyset pages only: see cursor.ts. With more than one
// cluster, each cluster's table is its own users' registrations: a page spans them all (or the
// one named), each row saying its cluster. A cluster whose databases do not answer leaves its
// rows out and says so (`partial`, `unavailable`); the clusters that answered are still listed.

export interface ListArgs {
  /** AOR prefix: "user1" or "user1@lab". */
  q?: string;
  serverId?: number;
  /** Exact user (and domain): the per-user view on a user's page. */
  username?: string;
  domain?: string | null;
  after?: string | null;
  limit?: number;
  /** Only this cluster's registrations (validated: an unknown name is refused). */
  cluster?: string;
  /** For tests and benchmarks: a list other than the console's own. */
  list?: ConnectionList;
}

/** A cluster's SIP servers by server_id, as Kamailio writes it into `location`. */
export function serverNames(cluster: string): Map<number, string> {
  return new Map(clusterNamed(cluster).sipServers.map((s) => [s.serverId, s.name]));
}

export async function queryRegistrations(
  db: Kysely<DB>,
  args: ListArgs & { names?: Map<number, string>; cluster?: string },
): Promise<{ rows: Registration[]; next: string | null }> {
  const limit = Math.min(Math.max(args.limit ?? PAGE_SIZE, 1), 500);
  const names = args.names ?? new Map<number, string>();
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
      ...(args.cluster ? { cluster: args.cluster } : {}),
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

/**
 * One page of registrations from the active node of each cluster (or of the one named). With more
 * than one cluster configured, a cluster that does not answer is listed in `unavailable` and the
 * page holds the others' rows (`partial: true`); with one cluster its error is the answer.
 */
export async function listRegistrations(args: ListArgs = {}): Promise<RegistrationPage> {
  if (args.list) {
    const served = await args.list.read((db) => queryRegistrations(db, args), 3000);
    return { ...served.value, node: served.node, at: new Date().toISOString() };
  }
  const all = clusters();
  if (all.length === 1) return pageOf(chosenCluster(args.cluster), args, false);
  // A server filter names one cluster's SIP server: only that cluster has its rows.
  const owners =
    args.cluster !== undefined
      ? [chosenCluster(args.cluster)]
      : all
          .filter(
            (c) => args.serverId === undefined || c.sipServers.some((s) => s.serverId === args.serverId),
          )
          .map((c) => c.name);
  const { answered, unavailable } = await acrossClusters({
    clusters: owners.length ? owners : all.map((c) => c.name),
    read: (cluster) => pageOf(cluster, args, true),
  });
  const page = answered.length
    ? mergePages(
        answered.map((a) => a.value),
        args.limit,
      )
    : { rows: [], next: null, node: '', at: new Date().toISOString() };
  return { ...page, partial: unavailable.length > 0, unavailable };
}

async function pageOf(cluster: string, args: ListArgs, named: boolean): Promise<RegistrationPage> {
  const list = await connectionListOf(cluster);
  const names = serverNames(cluster);
  const served = await list.read(
    (db) => queryRegistrations(db, { ...args, names, cluster: named ? cluster : undefined }),
    3000,
  );
  return { ...served.value, node: served.node, at: new Date().toISOString() };
}
