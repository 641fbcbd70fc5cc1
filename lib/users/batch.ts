import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { ConnectionList } from '@/lib/db';
import type { DB } from '@/lib/db/schema';

// One import batch as a single multi-row INSERT ... ON DUPLICATE KEY UPDATE, sent only for the
// rows that are new or whose hashes differ: re-importing the same file writes nothing.

export interface BatchRow {
  line: number;
  username: string;
  domain: string;
  password: string;
  ha1: string;
  ha1b: string;
}

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Found already applied after a connection broke mid-batch (inserted or updated, unknown which). */
  confirmed: number;
  /** Rows refused because a user differing only in letter case exists (the index is case-insensitive). */
  conflicts: { line: number; reason: string }[];
}

// The unique index (username, domain) uses the table's case-insensitive collation.
const keyOf = (u: string, d: string) => `${u.toLowerCase()}\u0000${d.toLowerCase()}`;

async function existing(db: Kysely<DB>, rows: BatchRow[]) {
  const byDomain = new Map<string, string[]>();
  for (const r of rows)
    (byDomain.get(r.domain) ?? byDomain.set(r.domain, []).get(r.domain)!).push(r.username);
  const found = new Map<string, { username: string; domain: string; ha1: string; ha1b: string }>();
  for (const [domain, names] of byDomain) {
    const hits = await db
      .selectFrom('subscriber')
      .select(['username', 'domain', 'ha1', 'ha1b'])
      .where('domain', '=', domain)
      .where('username', 'in', names)
      .execute();
    for (const h of hits) found.set(keyOf(h.username, h.domain), h);
  }
  return found;
}

export async function writeBatch(opts: { list: ConnectionList; rows: BatchRow[]; storePlaintext: boolean }) {
  const { list, rows } = opts;
  return list.write<BatchCounts>({
    timeoutMs: 30_000,
    run: async (db) => {
      const found = await existing(db, rows);
      const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0, confirmed: 0, conflicts: [] };
      const upserts = [];
      for (const r of rows) {
        const e = found.get(keyOf(r.username, r.domain));
        if (e && e.username !== r.username)
          counts.conflicts.push({ line: r.line, reason: `username: already exists as ${e.username}` });
        else if (e && e.domain !== r.domain)
          counts.conflicts.push({ line: r.line, reason: `domain: stored as ${e.domain}` });
        else if (e && e.ha1 === r.ha1 && e.ha1b === r.ha1b) counts.unchanged++;
        else {
          if (e) counts.updated++;
          else counts.inserted++;
          upserts.push({
            username: r.username,
            domain: r.domain,
            password: opts.storePlaintext ? r.password : '',
            ha1: r.ha1,
            ha1b: r.ha1b,
          });
        }
      }
      if (upserts.length)
        await db
          .insertInto('subscriber')
          .values(upserts)
          .onDuplicateKeyUpdate({
            ha1: sql`VALUES(ha1)`,
            ha1b: sql`VALUES(ha1b)`,
            password: sql`VALUES(password)`,
          })
          .execute();
      return counts;
    },
    verify: async (db) => {
      const found = await existing(db, rows);
      const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0, confirmed: 0, conflicts: [] };
      for (const r of rows) {
        const e = found.get(keyOf(r.username, r.domain));
        if (!e) return undefined;
        if (e.username !== r.username)
          counts.conflicts.push({ line: r.line, reason: `username: already exists as ${e.username}` });
        else if (e.ha1 !== r.ha1) return undefined;
        else counts.confirmed++;
      }
      return counts;
    },
  });
}
