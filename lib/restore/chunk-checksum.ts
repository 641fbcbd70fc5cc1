import 'server-only';
import type { Session } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import type { CheckedTable } from './consistency';

// Chunked checksums of one table in two snapshots (snapshot-pair.ts). Chunks are ranges of the
// primary key `id`, cut every CHUNK_ROWS rows of the survivor's snapshot; the first and last
// ranges are open, so every row of both nodes falls in exactly one chunk. A chunk's checksum is
// its row count and the XOR of a 64-bit MD5 prefix of every row (all columns, NULL marked):
// order-free, and a changed, missing or extra row changes it. Only differing chunks are ever
// read row by row (divergence.ts).

export const CHUNK_ROWS = 5000;
/**
 * After each chunk the comparison rests as long as the chunk took (half the time busy): the
 * survivor keeps serving its SIP servers first, and nothing is locked while this takes longer.
 */
export const REST_RATIO = 1;

export interface ChunkRange {
  table: CheckedTable;
  /** Exclusive lower and inclusive upper bound of `id`; null = open. */
  lo: string | null;
  hi: string | null;
}

const ident = (s: string) => `\`${s.replaceAll('`', '``')}\``;

export async function columnsOf(c: Session, table: CheckedTable): Promise<string[]> {
  const r = await c.rows<{ c: string }>(
    'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [table],
  );
  return r.map((x) => x.c);
}

export function rangeWhere(r: Pick<ChunkRange, 'lo' | 'hi'>): { sql: string; params: string[] } {
  const parts = [r.lo === null ? '' : '`id` > ?', r.hi === null ? '' : '`id` <= ?'].filter(Boolean);
  return {
    sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '',
    params: [r.lo, r.hi].filter((x): x is string => x !== null),
  };
}

export async function checksumTable({
  survivor,
  target,
  table,
  chunkRows = CHUNK_ROWS,
  restRatio = REST_RATIO,
  after = null,
  onStart,
  onChunk,
}: {
  survivor: Session;
  target: Session;
  table: CheckedTable;
  chunkRows?: number;
  restRatio?: number;
  /** Compare only the keys above this one (a resumed comparison); null = the whole table. */
  after?: string | null;
  /** Rows and chunks still to compare (above `after`). */
  onStart: (p: { rows: number; chunks: number }) => void;
  /** After each chunk; `hi` is its inclusive upper key bound (null for the last, open one). */
  onChunk: (p: { rows: number; differs: boolean; hi: string | null }) => void;
}): Promise<ChunkRange[]> {
  const [cs, ct] = await Promise.all([columnsOf(survivor, table), columnsOf(target, table)]);
  if (cs.join(',') !== ct.join(','))
    throw new AppError('conflict:state', `The columns of ${table} differ between the two nodes.`);
  const row = `CONCAT_WS('#', ${cs.map((c) => `${ident(c)}, ISNULL(${ident(c)})`).join(', ')})`;
  const agg = `COUNT(*) AS n, BIT_XOR(CAST(CONV(LEFT(MD5(${row}), 16), 16, 10) AS UNSIGNED)) AS x`;
  const from = rangeWhere({ lo: after, hi: null });
  const [count] = await survivor.rows<{ n: number }>(
    `SELECT COUNT(*) AS n FROM ${ident(table)} ${from.sql}`,
    from.params,
  );
  const total = Number(count?.n ?? 0);
  onStart({ rows: total, chunks: Math.floor(total / chunkRows) + 1 });
  const differing: ChunkRange[] = [];
  let lo: string | null = after;
  for (;;) {
    const t0 = performance.now();
    const [bound]: { k: unknown }[] = await survivor.rows<{ k: unknown }>(
      `SELECT id AS k FROM ${ident(table)} ${lo === null ? '' : 'WHERE id > ?'} ORDER BY id LIMIT 1 OFFSET ${chunkRows - 1}`,
      lo === null ? [] : [lo],
    );
    const hi: string | null = bound ? String(bound.k) : null;
    const w = rangeWhere({ lo, hi });
    const sum = (c: Session) =>
      c.rows<{ n: number; x: unknown }>(`SELECT ${agg} FROM ${ident(table)} ${w.sql}`, w.params);
    const [[a], [b]] = await Promise.all([sum(survivor), sum(target)]);
    const differs = Number(a?.n) !== Number(b?.n) || String(a?.x) !== String(b?.x);
    if (differs) differing.push({ table, lo, hi });
    onChunk({ rows: Number(a?.n ?? 0), differs, hi });
    if (hi === null) return differing;
    lo = hi;
    if (restRatio > 0) await new Promise((r) => setTimeout(r, (performance.now() - t0) * restRatio));
  }
}
