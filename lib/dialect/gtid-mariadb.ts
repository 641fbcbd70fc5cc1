// MariaDB GTID positions ("domain-server-seq,…"): the one parser, for the wizard's ring start
// positions and the restore's comparisons. Part of the dialect module: only used when
// dialect.gtidModel is 'domain-list' (MariaDB); MySQL replicas send their executed GTID set
// themselves (auto-positioning).

export interface GtidEntry {
  domain: number;
  server: number;
  seq: number;
}
export type GtidMap = Map<number, GtidEntry>;

const LIST_RE = /^\s*\d+-\d+-\d+(\s*,\s*\d+-\d+-\d+)*\s*$/;

/** True for a MariaDB list (or an empty one); false for a MySQL GTID set. */
export function isMariadbGtidList(s: string): boolean {
  return s.trim() === '' || LIST_RE.test(s);
}

/** Domain → entry; throws on anything that is not a GTID. A domain listed twice keeps its highest seq. */
export function parseGtids(list: string): GtidMap {
  const out: GtidMap = new Map();
  for (const part of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [domain, server, seq] = part.split('-').map(Number);
    if ([domain, server, seq].some((x) => x === undefined || !Number.isInteger(x)))
      throw new Error(`Not a GTID: ${part}`);
    const prev = out.get(domain!);
    if (!prev || seq! > prev.seq) out.set(domain!, { domain: domain!, server: server!, seq: seq! });
  }
  return out;
}

export function formatGtids(m: GtidMap | Iterable<GtidEntry>): string {
  return [...(m instanceof Map ? m.values() : m)]
    .sort((a, b) => a.domain - b.domain)
    .map((g) => `${g.domain}-${g.server}-${g.seq}`)
    .join(',');
}

/**
 * Where a ring node n(i), copied from the first node at snapshot S(i), starts reading n(i-1),
 * which was copied at S(i-1) and whose own binlog stood at P(i-1) when its copy ended. A GTID
 * is only named if it is really in n(i-1)'s binlog (a position the master cannot find makes it
 * start the stream at the wrong place): first-node domains that moved between the two
 * snapshots start at S(i) (n(i-1) logs those events when it applies them); every other domain
 * starts where n(i-1)'s binlog stood after its copy, or is left out when that binlog had none
 * (then the source sends the whole domain, all of it newer than the copy).
 */
export function ringStartPosition({
  snapshot,
  prevSnapshot,
  prevEnd,
  middleDomains,
}: {
  snapshot: string;
  prevSnapshot: string;
  prevEnd: string;
  middleDomains: number[];
}): { start: string; waitFor: string } {
  const s = parseGtids(snapshot);
  const prev = parseGtids(prevSnapshot);
  const end = parseGtids(prevEnd);
  const start: GtidMap = new Map();
  const wait: GtidMap = new Map();
  const domains = new Set([...s.keys(), ...end.keys(), ...middleDomains]);
  for (const d of domains) {
    const g = s.get(d);
    const moved = g && !middleDomains.includes(d) && g.seq > (prev.get(d)?.seq ?? 0);
    if (moved) {
      start.set(d, g);
      wait.set(d, g);
    } else if (end.has(d)) start.set(d, end.get(d)!);
  }
  return { start: formatGtids(start), waitFor: formatGtids(wait) };
}
