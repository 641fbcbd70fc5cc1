import 'server-only';
import { quoteIdent } from '../dialect/quote';
import type { AdminConn } from './admin';

// The row pump of the snapshot copy: the source formats each row as a SQL tuple, Node joins
// tuples into multi-row INSERTs of a few MB, one INSERT in flight while the next batch is read.

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit']);

export function tupleExpression(cols: { name: string; type: string }[]): string {
  const parts = cols.map((c) =>
    BINARY_TYPES.has(c.type)
      ? `IF(${quoteIdent(c.name)} IS NULL, 'NULL', CONCAT('0x', HEX(${quoteIdent(c.name)})))`
      : `QUOTE(${quoteIdent(c.name)})`,
  );
  return `CONCAT('(', ${parts.join(", ',', ")}, ')')`;
}

/** Streams one table's rows as SQL tuples into multi-row INSERTs; one INSERT in flight. */
export async function streamRows({
  source,
  target,
  select,
  table,
  batchBytes,
  onBatch,
}: {
  source: AdminConn;
  target: AdminConn;
  select: string;
  table: string;
  batchBytes: number;
  onBatch: (rows: number) => void;
}): Promise<{ rows: number; statements: number }> {
  const head = `INSERT INTO ${quoteIdent(table)} VALUES `;
  let parts: string[] = [];
  let size = 0;
  let rows = 0;
  let statements = 0;
  let pending: Promise<unknown> | null = null;
  const send = async () => {
    if (pending) await pending;
    const sql = head + parts.join(',');
    const n = parts.length;
    parts = [];
    size = 0;
    statements++;
    const p = target.conn.change(sql).then(() => onBatch(n));
    p.catch(() => undefined); // awaited (and thrown) at the next send or at the end
    pending = p;
  };
  for await (const row of source.conn.stream(select)) {
    const tuple = String(row[0]);
    parts.push(tuple);
    size += tuple.length;
    rows++;
    if (size >= batchBytes) await send();
  }
  if (parts.length) await send();
  if (pending) await pending;
  return { rows, statements };
}
