// Which cluster owns a user: one normalisation of the address-of-record and one lookup,
// written so the first-stage Kamailio (lab/first-stage.cfg.tmpl, route[SHARD]) does exactly the
// same with an htable: an override for the whole AOR first, then the longest matching prefix of
// the user part. Pure (no server-only): the lab and the tests use it too.

/** ASCII lower case only, like Kamailio's {s.tolower}; %XX escapes are kept as written. */
export function normalise(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function aorKey(user: { username: string; domain: string }): string {
  return `${normalise(user.username)}@${normalise(user.domain)}`;
}

/** Characters of a normalised user part (RFC 3261 user-unreserved and escapes), in byte order. */
export const ALPHABET = [..."!$%&'()*+,-./0123456789;=?_abcdefghijklmnopqrstuvwxyz~"].sort().join('');

export const BOUNDARY = /^[a-z0-9\-_.!~*'()&=+$,;?/%]{1,32}$/;

/** One range of the user part: every normalised user part >= `from` up to the next range's `from`. */
export interface ShardRange {
  from: string;
  cluster: string;
}

/** What the first stage holds in memory: prefix -> cluster and AOR -> cluster (overrides). */
export interface RouteTable {
  prefixes: Map<string, string>;
  overrides: Map<string, string>;
}

/** The owning cluster: override, then longest prefix (the empty prefix is the default). */
export function place(table: RouteTable, user: { username: string; domain: string }): string {
  const o = table.overrides.get(aorKey(user));
  if (o) return o;
  const u = normalise(user.username);
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

/** The owner by plain range comparison: the definition the compiled prefixes must agree with. */
export function ownerByRange(ranges: ShardRange[], username: string): string {
  const u = normalise(username);
  let owner = '';
  for (const r of sortRanges(ranges)) if (r.from <= u) owner = r.cluster;
  return owner;
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
    const own = ownerByRange(sorted, p);
    if (own !== inherited) out.set(p, own);
    if (!boundaries.some((b) => b.length > p.length && b.startsWith(p))) return;
    for (const ch of ALPHABET) {
      const child = p + ch;
      // A child with no boundary inside or at it simply inherits: only its owner matters.
      const childOwner = ownerByRange(sorted, child);
      const inside = boundaries.some((b) => b.startsWith(child));
      if (inside) walk(child, own);
      else if (childOwner !== own) out.set(child, childOwner);
    }
  };
  walk('', sorted[0].cluster);
  return out;
}

export function routeTable(ranges: ShardRange[], overrides: Iterable<[string, string]> = []): RouteTable {
  return { prefixes: compileRanges(ranges), overrides: new Map(overrides) };
}
