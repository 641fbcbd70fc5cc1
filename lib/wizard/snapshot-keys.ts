// Pure: how the snapshot copy splits a CREATE TABLE so indexes are built after the rows.

/**
 * Secondary keys are added after the rows: one sorted index build per key is much faster than
 * updating every index on every insert (what myloader does too). Tables without a primary key
 * or with foreign keys are created as they are.
 */
export function deferKeys(create: string): { create: string; keys: string[] } {
  const lines = create.split('\n');
  if (!lines.some((l) => /^\s+PRIMARY KEY /.test(l)) || lines.some((l) => /FOREIGN KEY/.test(l)))
    return { create, keys: [] };
  const keys = lines.filter((l) => /^\s+(UNIQUE )?KEY /.test(l)).map((l) => l.trim().replace(/,$/, ''));
  if (keys.length === 0) return { create, keys };
  const kept = lines.filter((l) => !/^\s+(UNIQUE )?KEY /.test(l));
  // The line before ") ENGINE=..." must not end with a comma any more.
  const close = kept.findIndex((l) => l.startsWith(')'));
  kept[close - 1] = kept[close - 1]!.replace(/,$/, '');
  return { create: kept.join('\n'), keys };
}
