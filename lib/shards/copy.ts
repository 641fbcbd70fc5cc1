import 'server-only';
import { sql } from 'kysely';
import type { ConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { waitFor } from '@/lib/restore/catch-up';
import { nodeCtx, positions } from '@/lib/restore/node-io';
import type { UserKey } from '@/lib/users/cursor';

// Copying a moving user's rows between clusters, a slice at a time, through both connection
// lists. Every copy is an upsert, so a step can run again after a crash without harm.

const SLICE = 500;

function slices<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += SLICE) out.push(xs.slice(i, i + SLICE));
  return out;
}

/** `(username, domain) IN ((?, ?), ...)` for one slice of users. */
const whereUsers = (users: UserKey[]) =>
  sql<boolean>`(username, domain) IN (${sql.join(users.map((u) => sql`(${u.username}, ${u.domain})`))})`;

export async function copySubscribers(
  from: ConnectionList,
  to: ConnectionList,
  users: UserKey[],
): Promise<number> {
  let n = 0;
  for (const part of slices(users)) {
    const { value: rows } = await from.read((db) =>
      db
        .selectFrom('subscriber')
        .select(['username', 'domain', 'password', 'ha1', 'ha1b'])
        .where(whereUsers(part))
        .execute(),
    );
    if (!rows.length) continue;
    await to.write({
      run: (db) =>
        db
          .insertInto('subscriber')
          .values(rows)
          .onDuplicateKeyUpdate({
            ha1: sql`VALUES(ha1)`,
            ha1b: sql`VALUES(ha1b)`,
            password: sql`VALUES(password)`,
          })
          .execute(),
      verify: async () => undefined,
    });
    n += rows.length;
  }
  return n;
}

/** Live registrations; a row the target already holds is replaced only by a newer one. */
export async function copyLocations(
  from: ConnectionList,
  to: ConnectionList,
  users: UserKey[],
): Promise<number> {
  let n = 0;
  for (const part of slices(users)) {
    const { value: rows } = await from.read((db) =>
      db
        .selectFrom('location')
        .selectAll()
        .where(whereUsers(part))
        .where('expires', '>', new Date())
        .execute(),
    );
    if (!rows.length) continue;
    const newer = <T>(col: string) =>
      sql<T>`IF(VALUES(last_modified) >= last_modified, VALUES(${sql.ref(col)}), ${sql.ref(col)})`;
    await to.write({
      run: (db) =>
        db
          .insertInto('location')
          .values(rows.map(({ id: _id, ...r }) => r))
          .onDuplicateKeyUpdate({
            contact: newer<string>('contact'),
            received: newer<string | null>('received'),
            path: newer<string | null>('path'),
            expires: newer<Date>('expires'),
            callid: newer<string>('callid'),
            cseq: newer<number>('cseq'),
            socket: newer<string | null>('socket'),
            // Last: the comparisons above read the old value.
            last_modified: newer<Date>('last_modified'),
          })
          .execute(),
      verify: async () => undefined,
    });
    n += rows.length;
  }
  return n;
}

/**
 * Removes the moved users' rows from the source once the new map is committed: nothing waits
 * for it, so it goes a slice at a time with a pause between, leaving the databases' time (and,
 * on a shared host, the CPU) to the REGISTERs the target now takes.
 */
export async function deleteRows(list: ConnectionList, users: UserKey[], paceMs = 100): Promise<number> {
  let n = 0;
  for (const [i, part] of slices(users).entries()) {
    if (i > 0) await new Promise((r) => setTimeout(r, paceMs));
    const r = await list.write({
      run: (db) =>
        db.transaction().execute(async (tx) => {
          await tx.deleteFrom('location').where(whereUsers(part)).execute();
          const s = await tx.deleteFrom('subscriber').where(whereUsers(part)).executeTakeFirst();
          return Number(s.numDeletedRows);
        }),
      verify: async () => undefined,
    });
    n += r.value;
  }
  return n;
}

/** How many of these users the cluster holds with these exact hashes. */
export async function countPresent(list: ConnectionList, users: UserKey[]): Promise<number> {
  let n = 0;
  for (const part of slices(users)) {
    const { value } = await list.read((db) =>
      db
        .selectFrom('subscriber')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(whereUsers(part))
        .executeTakeFirstOrThrow(),
    );
    n += Number(value.n);
  }
  return n;
}

/**
 * Waits until every other answering, unfenced node of the cluster has applied what its writer
 * holds now. The cluster's SIP servers read from their own node (db_cluster, co-located), so
 * rows copied to the writer are there for every SIP server only once replicated: switching the
 * first stage before that answers a moved user's REGISTER with 404 at a lagging node. A Galera
 * cluster certifies each commit on every member, so there is nothing to wait for.
 */
export async function awaitReplicated(list: ConnectionList, cluster: string, seconds = 60): Promise<void> {
  if (list.galera) return;
  const writer = list.active();
  if (!writer) throw new AppError('unavailable:database', `No node of cluster ${cluster} takes writes.`);
  const { binlog } = await positions(await nodeCtx({ list, name: writer.handle.name }));
  const behind: string[] = [];
  for (const n of list.nodes) {
    const name = n.handle.name;
    if (n === writer || n.reachable === false || list.isFenced(name)) continue;
    if (!(await waitFor({ target: await nodeCtx({ list, name }), pos: binlog, seconds }))) behind.push(name);
  }
  if (behind.length)
    throw new AppError(
      'failed:database',
      `${behind.join(', ')} did not apply the copied rows from ${writer.handle.name} within ${seconds} s: check replication in cluster ${cluster}, then resume.`,
    );
}
