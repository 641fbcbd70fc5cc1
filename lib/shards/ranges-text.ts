import { BOUNDARY, isBucket, type ShardRange } from './placement';

// The planner's text form of the ranges, one per line: `FROM CLUSTER`, `*` for the first range.
//   *        c1
//   user1050 c2
// or hash buckets (`#` and 1 to 4 hex digits of the MD5 of the user part):
//   *  c1
//   #8 c2

export function formatRanges(ranges: ShardRange[]): string {
  return ranges.map((r) => `${r.from === '' ? '*' : r.from} ${r.cluster}`).join('\n');
}

export function parseRanges(
  text: string,
  clusterNames: string[],
): { ranges: ShardRange[] } | { error: string } {
  const ranges: ShardRange[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) return { error: `Line ${i + 1}: write FROM CLUSTER, e.g. "user1050 c2".` };
    const [from, cluster] = parts as [string, string];
    if (from !== '*' && !BOUNDARY.test(from))
      return {
        error: `Line ${i + 1}: "${from}" is neither a lower-case user part (at most 32 characters) nor a hash bucket (# and 1 to 4 hex digits).`,
      };
    if (!clusterNames.includes(cluster))
      return {
        error: `Line ${i + 1}: no cluster named "${cluster}" (clusters: ${clusterNames.join(', ')}).`,
      };
    const f = from === '*' ? '' : from;
    if (ranges.some((r) => r.from === f)) return { error: `Line ${i + 1}: "${from}" starts a range twice.` };
    ranges.push({ from: f, cluster });
  }
  if (!ranges.some((r) => r.from === ''))
    return { error: 'One line must start at the beginning: "* CLUSTER".' };
  const bounds = ranges.filter((r) => r.from !== '');
  if (bounds.some((r) => isBucket(r.from)) && !bounds.every((r) => isBucket(r.from)))
    return { error: 'Use either ranges of the user part or hash buckets (#…), not both.' };
  return { ranges };
}
