import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { DB } from '@/lib/db/schema';
import type { Beat } from './lag';

// The heartbeat rows (table sipha_heartbeat from migration 001). Each node's row is written on
// that node only and reaches the others by replication; it is named after the node it was
// written on. beat_at is UTC (UTC_TIMESTAMP(6)) so the nodes' time_zone settings never matter.

export async function writeBeat({
  db,
  node,
  seq,
}: {
  db: Kysely<DB>;
  node: string;
  seq: number;
}): Promise<void> {
  await sql`INSERT INTO sipha_heartbeat (node, beat_at, seq) VALUES (${node}, UTC_TIMESTAMP(6), ${seq})
    ON DUPLICATE KEY UPDATE beat_at = VALUES(beat_at), seq = VALUES(seq)`.execute(db);
}

export interface BeatRead {
  /** The reader's own clock (UTC_TIMESTAMP(6)), epoch ms. */
  readerNow: number;
  beats: Map<string, Beat>;
}

const utcMs = (v: unknown): number => {
  if (v instanceof Date) return v.getTime();
  // mysql2 with timezone 'Z' gives Dates; strings only from unusual drivers or proxies.
  return Date.parse(`${String(v).replace(' ', 'T')}Z`);
};

/** Every node's row as this node has it, with this node's clock in the same statement. */
export async function readBeats({ db }: { db: Kysely<DB> }): Promise<BeatRead> {
  const r = await sql<{ node: string; beat_at: unknown; seq: number | string; now: unknown }>`
    SELECT h.node, h.beat_at, h.seq, UTC_TIMESTAMP(6) AS now
    FROM (SELECT 1 AS one) x LEFT JOIN sipha_heartbeat h ON 1 = 1`.execute(db);
  const beats = new Map<string, Beat>();
  let readerNow = Date.now();
  for (const row of r.rows) {
    readerNow = utcMs(row.now);
    if (row.node) beats.set(row.node, { seq: Number(row.seq), at: utcMs(row.beat_at) });
  }
  return { readerNow, beats };
}
