import 'server-only';
import type { Session } from '@/lib/db/connection-list';
import { plainRow } from '@/lib/db/driver';
import { AppError } from '@/lib/errors';
import { type ChunkRange, rangeWhere } from './chunk-checksum';
import type { CheckedTable } from './consistency';
import type { RowDiff } from './types';

// From differing chunks to differing rows: the rows of those chunks only, read in both
// snapshots and compared by the table's key (subscriber by id, location by ruid: a phone's
// registration keeps its ruid on every node). Rows of all differing chunks of a table are
// pooled first, so a row whose id differs between the nodes is one difference, not two.

export const ROW_KEY: Record<CheckedTable, string> = { subscriber: 'id', location: 'ruid' };
/** A repair or a listing reads at most this many rows of differing chunks per table. */
export const MAX_DIFF_ROWS = 20_000;

type Row = Record<string, unknown>;

async function chunkRows(c: Session, r: ChunkRange): Promise<Row[]> {
  const w = rangeWhere(r);
  const rows = await c.rows<Row>(`SELECT * FROM \`${r.table}\` ${w.sql} ORDER BY id`, w.params);
  return rows.map(plainRow);
}

export async function diffChunks({
  survivor,
  target,
  table,
  chunks,
}: {
  survivor: Session;
  target: Session;
  table: CheckedTable;
  chunks: ChunkRange[];
}): Promise<RowDiff[]> {
  const key = ROW_KEY[table];
  const a = new Map<string, Row>();
  const b = new Map<string, Row>();
  for (const ch of chunks) {
    const [ra, rb] = await Promise.all([chunkRows(survivor, ch), chunkRows(target, ch)]);
    for (const r of ra) a.set(String(r[key]), r);
    for (const r of rb) b.set(String(r[key]), r);
    if (a.size + b.size > 2 * MAX_DIFF_ROWS)
      throw new AppError(
        'conflict:state',
        `More than ${MAX_DIFF_ROWS} ${table} rows lie in differing chunks: rebuild the node with the replication wizard instead.`,
      );
  }
  const diffs: RowDiff[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? null;
    const y = b.get(k) ?? null;
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push({ table, key: k, survivor: x, target: y });
  }
  return diffs.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
}
