// MariaDB GTID lists (domain-server-seq, comma separated) compared domain by domain.
// A string that is not a MariaDB list (a MySQL GTID set) is passed through unchanged: MySQL's
// WAIT_FOR_EXECUTED_GTID_SET already counts the node's own transactions, so no filtering is
// needed there.

import { formatGtids, isMariadbGtidList, parseGtids } from '../dialect/gtid-mariadb';

/**
 * The part of the survivor's position the target has not reached yet. Domains the target has
 * already logged (its own writes included) are left out: MASTER_GTID_WAIT checks gtid_slave_pos,
 * which may not list the target's own domain until its events came back from the peer.
 */
export function waitTarget({ survivor, target }: { survivor: string; target: string }): string {
  if (!isMariadbGtidList(survivor) || !isMariadbGtidList(target)) return survivor;
  const t = parseGtids(target);
  return formatGtids([...parseGtids(survivor).values()].filter((e) => (t.get(e.domain)?.seq ?? 0) < e.seq));
}

/** Transactions the target misses, summed over domains (0 = caught up); null for non-MariaDB sets. */
export function gtidBehind({ survivor, target }: { survivor: string; target: string }): number | null {
  if (!isMariadbGtidList(survivor) || !isMariadbGtidList(target)) return null;
  const t = parseGtids(target);
  let n = 0;
  for (const e of parseGtids(survivor).values()) n += Math.max(0, e.seq - (t.get(e.domain)?.seq ?? 0));
  return n;
}

/** True when the two positions name the same sequence number in every domain. */
export function gtidEqual(a: string, b: string): boolean {
  if (!isMariadbGtidList(a) || !isMariadbGtidList(b)) return a.replace(/\s/g, '') === b.replace(/\s/g, '');
  const x = parseGtids(a);
  const y = parseGtids(b);
  if (x.size !== y.size) return false;
  for (const [d, e] of x) if (y.get(d)?.seq !== e.seq) return false;
  return true;
}
