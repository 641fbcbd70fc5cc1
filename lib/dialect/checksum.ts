import { quoteIdent } from './quote';

// CHECKSUM TABLE, the one way sipha compares tables between nodes (wizard verify and copy,
// restore verify): the statement, its rows as table → checksum, and what counts as equal.

export function checksumStatement(tables: readonly string[], database?: string): string {
  const name = (t: string) => (database ? `${quoteIdent(database)}.${quoteIdent(t)}` : quoteIdent(t));
  return `CHECKSUM TABLE ${tables.map(name).join(', ')}`;
}

/** table → checksum, by the table's bare name; null when the table does not exist on that node. */
export function checksumsOf(rows: readonly Record<string, unknown>[]): Map<string, string | null> {
  return new Map(
    rows.map((r) => [String(r.Table).split('.').pop()!, r.Checksum === null ? null : String(r.Checksum)]),
  );
}

/** Equal only when every node has the table and all checksums are the same. */
export function sameChecksum(values: readonly (string | null | undefined)[]): boolean {
  return values.length > 0 && values.every((v) => v != null && v === values[0]);
}
