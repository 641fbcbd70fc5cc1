import { createHash } from 'node:crypto';

// Which cluster owns a user: one normalisation of the address-of-record and one lookup,
// written so the first-stage Kamailio (lab/first-stage.cfg.tmpl, route[SHARD]) does exactly the
// same with an htable: an override for the whole AOR first, then the longest matching prefix of
// the user's key. The key is the user part itself (ranges of the user part, the paper's letters)
// or, in a map of hash buckets, `#` and the first 4 hex digits of the MD5 of the user part
// (Kamailio's {s.md5}), so boundaries such as `#8` split the users evenly whatever their names.
// Pure (no server-only): the lab and the tests use it too.

/** ASCII lower case only, like Kamailio's {s.tolower}; %XX escapes are kept as written. */
export function normalise(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function aorKey(user: { username: string; domain: string }): string {
  return `${normalise(user.username)}@${normalise(user.domain)}`;
}

/** Characters of a normalised user part (RFC 3261 user-unreserved and escapes), in byte order. */
export const ALPHABET = [..."!$%&'()*+,-./0123456789;=?_abcdefghijklmnopqrstuvwxyz~"].sort().join('');

export const BOUNDARY = /^(?:[a-z0-9\-_.!~*'()&=+$,;?/%]{1,32}|#[0-9a-f]{1,4})$/;

/** A hash-bucket boundary: `#` and 1 to 4 hex digits (no user part contains `#`). */
export const isBucket = (from: string) => from.startsWith('#');

/** What the ranges are compared with: the normalised user part, or its hash bucket. */
export function placementKey(hashed: boolean, username: string): string {
  const u = normalise(username);
  return hashed ? `#${createHash('md5').update(u).digest('hex').slice(0, 4)}` : u;
}

/** The prefix walk's characters: a user part's, and `#` for hash buckets. */
const KEY_ALPHABET = `#${ALPHABET}`;

/** One range of the user part: every normalised user part >= `from` up to the next range's `from`. */
export interface ShardRange {
  from: string;
  cluster: string;
}

/** What the first stage holds in memory: prefix -> cluster and AOR -> cluster (overrides). */
export interface RouteTable {
  /** Hash buckets (the first stage's `k:hash` row) instead of ranges of the user part. */
  hashed: boolean;
  prefixes: Map<string, string>;
  overrides: Map<string, string>;
}

/** The owning cluster: override, then longest prefix of the key (the empty prefix is the default). */
export function place(table: RouteTable, user: { username: string; domain: string }): string {
  const o = table.overrides.get(aorKey(user));
  if (o) return o;
  const u = placementKey(table.hashed, user.username);
  for (let i = u.length; i >= 0; i--) {
    const c = table.prefixes.get(u.slice(0, i));
    if (c) return c;
  }
  throw new Error('the shard map has no default range');
}

/** Range order is byte order of normalised strings (JavaScript's < on ASCII). */
export function sortRanges(ranges: ShardRange[]): ShardRange[] {
  return [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

export const isHashed = (ranges: ShardRange[]) => ranges.some((r) => isBucket(r.from));

/** The owner of a key by plain range comparison. */
function ownerOfKey(sorted: ShardRange[], key: string): string {
  let owner = '';
  for (const r of sorted) if (r.from <= key) owner = r.cluster;
  return owner;
}

/** The owner by plain range comparison: the definition the compiled prefixes must agree with. */
export function ownerByRange(ranges: ShardRange[], username: string): string {
  return ownerOfKey(sortRanges(ranges), placementKey(isHashed(ranges), username));
}

/**
 * Ranges as longest-prefix entries. A subtree of strings starting with p is uniform unless a
 * boundary lies strictly inside it (p a proper prefix of the boundary); only then do we descend,
 * emitting a child only where its owner differs from what it would inherit.
 */
export function compileRanges(ranges: ShardRange[]): Map<string, string> {
  const sorted = sortRanges(ranges);
  if (sorted[0]?.from !== '') throw new Error('the first range must start at the empty string');
  const boundaries = sorted.map((r) => r.from).filter((b) => b !== '');
  const out = new Map<string, string>([['', sorted[0].cluster]]);
  const walk = (p: string, inherited: string) => {
    const own = ownerOfKey(sorted, p);
    if (own !== inherited) out.set(p, own);
    if (!boundaries.some((b) => b.length > p.length && b.startsWith(p))) return;
    for (const ch of KEY_ALPHABET) {
      const child = p + ch;
      // A child with no boundary inside or at it simply inherits: only its owner matters.
      const childOwner = ownerOfKey(sorted, child);
      const inside = boundaries.some((b) => b.startsWith(child));
      if (inside) walk(child, own);
      else if (childOwner !== own) out.set(child, childOwner);
    }
  };
  walk('', sorted[0].cluster);
  return out;
}

export function routeTable(ranges: ShardRange[], overrides: Iterable<[string, string]> = []): RouteTable {
  return { hashed: isHashed(ranges), prefixes: compileRanges(ranges), overrides: new Map(overrides) };
}
