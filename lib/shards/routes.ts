import { compileRanges, isBucket, isHashed, type ShardRange } from './placement';

// The compiled shard map as rows of the first stage's htable `shard` (Kamailio htable column
// layout): `p:<prefix>` -> cluster, `o:<user@domain>` -> cluster, `s:<cluster>` -> dispatcher set,
// and `k:hash` when the prefixes are of hash buckets rather than of the user part.
// Pure, so the lab writes a lab's first map with the very same rows the console publishes.

export interface RouteRow {
  key_name: string;
  key_value: string;
}

export function routeRows(
  ranges: ShardRange[],
  overrides: Iterable<[string, string]>,
  clusterNames: string[],
): RouteRow[] {
  const rows: RouteRow[] = isHashed(ranges) ? [{ key_name: 'k:hash', key_value: '1' }] : [];
  for (const [p, c] of compileRanges(ranges)) rows.push({ key_name: `p:${p}`, key_value: c });
  for (const [aor, c] of overrides) rows.push({ key_name: `o:${aor}`, key_value: c });
  // Dispatcher set ids follow the order of clusters in the configuration, from 1.
  clusterNames.forEach((c, i) => {
    rows.push({ key_name: `s:${c}`, key_value: String(i + 1) });
  });
  return rows;
}

export function checkRanges(ranges: ShardRange[], clusterNames: string[]): string | null {
  const known = new Set(clusterNames);
  const seen = new Set<string>();
  for (const r of ranges) {
    if (!known.has(r.cluster)) return `unknown cluster ${r.cluster}`;
    if (seen.has(r.from)) return `the range starting at "${r.from}" is given twice`;
    seen.add(r.from);
  }
  if (!seen.has('')) return 'the first range must start at the beginning (an empty boundary)';
  const bounds = ranges.filter((r) => r.from !== '');
  if (bounds.some((r) => isBucket(r.from)) && !bounds.every((r) => isBucket(r.from)))
    return 'a map is either ranges of the user part or hash buckets (#…), not both';
  return null;
}
