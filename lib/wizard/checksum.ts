import 'server-only';
import { quoteIdent } from '../dialect/quote';
import type { AdminConn } from './admin';
import type { StepIO } from './io';

// CHECKSUM TABLE on several nodes, compared table by table.

export interface ChecksumRow {
  table: string;
  values: Record<string, string | null>;
  equal: boolean;
}

export async function listTables({
  c,
  io,
  database,
}: {
  c: AdminConn;
  io: StepIO;
  database: string;
}): Promise<string[]> {
  const rows = await io.read(
    c,
    {
      sql: "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
      display: `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${database}'`,
      params: [database],
    },
    { quiet: true },
  );
  return rows.map((r) => String(r.t));
}

export async function checksumTables({
  conns,
  io,
  database,
  tables,
}: {
  conns: AdminConn[];
  io: StepIO;
  database: string;
  tables: string[];
}): Promise<ChecksumRow[]> {
  if (tables.length === 0) return [];
  const sql = `CHECKSUM TABLE ${tables.map((t) => `${quoteIdent(database)}.${quoteIdent(t)}`).join(', ')}`;
  const per = new Map<string, Record<string, string | null>>(tables.map((t) => [t, {}]));
  for (const c of conns) {
    for (const r of await io.read(c, sql)) {
      const name = String(r.Table).split('.').pop()!;
      // NULL means the table does not exist on that node.
      per.get(name)![c.name] = r.Checksum === null ? null : String(r.Checksum);
    }
  }
  return tables.map((table) => {
    const values = per.get(table)!;
    const vs = conns.map((c) => values[c.name] ?? null);
    return { table, values, equal: vs.every((v) => v !== null && v === vs[0]) };
  });
}
