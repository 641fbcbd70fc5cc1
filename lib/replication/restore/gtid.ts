// MariaDB GTID lists (domain-server-seq, comma separated) compared domain by domain.
// A string that is not a MariaDB list (a MySQL GTID set) is passed through unchanged: MySQL's
// WAIT_FOR_EXECUTED_GTID_SET already counts the node's own transactions, so no filtering is
// needed there.

export interface GtidEntry {
  domain: number;
  server: number;
  seq: number;
}

const LIST_RE = /^\s*\d+-\d+-\d+(\s*,\s*\d+-\d+-\d+)*\s*$/;

export function isMariadbGtidList(s: string): boolean {
  return s.trim() === '' || LIST_RE.test(s);
}

export function parseGtidList(s: string): Map<number, GtidEntry> {
  const out = new Map<number, GtidEntry>();
  for (const part of s.split(',')) {
    const t = part.trim();
    if (!t) continue;
    const [domain, server, seq] = t.split('-').map(Number) as [number, number, number];
    const prev = out.get(domain);
    if (!prev || seq > prev.seq) out.set(domain, { domain, server, seq });
  }
  return out;
}

const format = (entries: Iterable<GtidEntry>) =>
  [...entries]
    .sort((a, b) => a.domain - b.domain)
    .map((e) => `${e.domain}-${e.server}-${e.seq}`)
    .join(',');

/**
 * The part of the survivor's position the target has not reached yet. Domains the target has
 * already logged (its own writes included) are left out: MASTER_GTID_WAIT checks gtid_slave_pos,
 * which may not list the target's own domain until its events came back from the peer.
 */
export function waitTarget({ survivor, target }: { survivor: string; target: string }): string {
  if (!isMariadbGtidList(survivor) || !isMariadbGtidList(target)) return survivor;
  const t = parseGtidList(target);
  return format([...parseGtidList(survivor).values()].filter((e) => (t.get(e.domain)?.seq ?? 0) < e.seq));
}

/** Transactions the target misses, summed over domains (0 = caught up); null for non-MariaDB sets. */
export function gtidBehind({ survivor, target }: { survivor: string; target: string }): number | null {
  if (!isMariadbGtidList(survivor) || !isMariadbGtidList(target)) return null;
  const t = parseGtidList(target);
  let n = 0;
  for (const e of parseGtidList(survivor).values()) n += Math.max(0, e.seq - (t.get(e.domain)?.seq ?? 0));
  return n;
}

/** True when the two positions name the same sequence number in every domain. */
export function gtidEqual(a: string, b: string): boolean {
  if (!isMariadbGtidList(a) || !isMariadbGtidList(b)) return a.replace(/\s/g, '') === b.replace(/\s/g, '');
  const x = parseGtidList(a);
  const y = parseGtidList(b);
  if (x.size !== y.size) return false;
  for (const [d, e] of x) if (y.get(d)?.seq !== e.seq) return false;
  return true;
}
