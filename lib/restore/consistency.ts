import 'server-only';
import { plainRow } from '@/lib/db/driver';
import { checksumStatement, checksumsOf, sameChecksum } from '@/lib/dialect/checksum';
import { quoteIdent } from '../dialect/quote';
import { type NodeCtx, onCtx } from './node-io';
import type { RowDiff, TableCheck } from './types';

// Step e: are the two nodes identical? CHECKSUM TABLE for the verdict (one statement per node,
// run on both nodes at once); when it says "different", a row diff finds the rows: subscriber by
// its primary key, location by ruid (its unique key, the same on every node, while id is not
// guaranteed to be). The diff walks the table in key-ordered chunks of CHUNK rows and compares a
// CRC per chunk first, so a million-row location table is never held in memory and only the
// differing chunks are fetched row by row. Nothing is ever changed: the operator decides.

export const CHECKED_TABLES = ['subscriber', 'location'] as const;
export type CheckedTable = (typeof CHECKED_TABLES)[number];
const KEY: Record<CheckedTable, string> = { subscriber: 'id', location: 'ruid' };
const CHUNK = 2000;

export async function checksumTables({
  c,
  timeoutMs,
}: {
  c: NodeCtx;
  timeoutMs?: number;
}): Promise<Map<string, string | null>> {
  const rows = await onCtx<{ Table: string; Checksum: unknown }>(
    c,
    { sql: checksumStatement(CHECKED_TABLES) },
    timeoutMs,
  );
  return checksumsOf(rows);
}

export function compareChecksums(a: Map<string, string | null>, b: Map<string, string | null>): TableCheck[] {
  return CHECKED_TABLES.map((table) => {
    const survivor = a.get(table) ?? null;
    const target = b.get(table) ?? null;
    return { table, survivor, target, equal: sameChecksum([survivor, target]) };
  });
}

async function columnsOf(c: NodeCtx, table: string): Promise<string[]> {
  const rows = await onCtx<{ c: string }>(c, {
    sql: 'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    params: [table],
  });
  return rows.map((r) => r.c);
}

/** Rows that differ between the two nodes, key by key; at most `limit` of them. */
export async function diffTable({
  survivor,
  target,
  table,
  limit,
}: {
  survivor: NodeCtx;
  target: NodeCtx;
  table: CheckedTable;
  limit: number;
}): Promise<{ diffs: RowDiff[]; truncated: boolean }> {
  const key = KEY[table];
  const cols = await columnsOf(survivor, table);
  const crcExpr = `BIT_XOR(CRC32(CONCAT_WS('#', ${cols.map((c) => `${quoteIdent(c)}, ISNULL(${quoteIdent(c)})`).join(', ')})))`;
  const diffs: RowDiff[] = [];
  let lo: unknown = null;
  for (;;) {
    // The chunk's upper bound comes from the survivor; the last chunk is open-ended on both sides.
    const [bound] = await onCtx<{ k: unknown }>(survivor, {
      sql: `SELECT ${quoteIdent(key)} AS k FROM ${quoteIdent(table)} ${lo === null ? '' : `WHERE ${quoteIdent(key)} > ?`} ORDER BY ${quoteIdent(key)} LIMIT 1 OFFSET ${CHUNK - 1}`,
      params: lo === null ? [] : [lo],
    });
    const hi = bound?.k ?? null;
    const where = [
      lo === null ? '' : `${quoteIdent(key)} > ?`,
      hi === null ? '' : `${quoteIdent(key)} <= ?`,
    ].filter(Boolean);
    const params = [...(lo === null ? [] : [lo]), ...(hi === null ? [] : [hi])];
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const crc = (c: NodeCtx) =>
      onCtx<{ n: number; x: unknown }>(
        c,
        { sql: `SELECT COUNT(*) AS n, ${crcExpr} AS x FROM ${quoteIdent(table)} ${whereSql}`, params },
        30_000,
      );
    const [a, b] = await Promise.all([crc(survivor), crc(target)]);
    if (Number(a[0]?.n) !== Number(b[0]?.n) || String(a[0]?.x) !== String(b[0]?.x)) {
      const rows = (c: NodeCtx) =>
        onCtx<Record<string, unknown>>(
          c,
          { sql: `SELECT * FROM ${quoteIdent(table)} ${whereSql}`, params },
          30_000,
        );
      const [ra, rb] = await Promise.all([rows(survivor), rows(target)]);
      const ma = new Map(ra.map((r) => [String(r[key]), plainRow(r)]));
      const mb = new Map(rb.map((r) => [String(r[key]), plainRow(r)]));
      for (const k of new Set([...ma.keys(), ...mb.keys()])) {
        const x = ma.get(k) ?? null;
        const y = mb.get(k) ?? null;
        if (JSON.stringify(x) === JSON.stringify(y)) continue;
        if (diffs.length >= limit) return { diffs, truncated: true };
        diffs.push({ table, key: k, survivor: x, target: y });
      }
    }
    if (hi === null) return { diffs, truncated: false };
    lo = hi;
  }
}
