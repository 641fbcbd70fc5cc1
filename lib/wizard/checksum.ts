import 'server-only';
import { checksumStatement, checksumsOf, sameChecksum } from '@/lib/dialect/checksum';
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
  const sql = checksumStatement(tables, database);
  const per = new Map<string, Record<string, string | null>>(tables.map((t) => [t, {}]));
  for (const c of conns)
    for (const [table, sum] of checksumsOf(await io.read(c, sql))) {
      const values = per.get(table);
      if (values) values[c.name] = sum;
    }
  return tables.map((table) => {
    const values = per.get(table)!;
    return { table, values, equal: sameChecksum(conns.map((c) => values[c.name])) };
  });
}
