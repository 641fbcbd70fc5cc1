import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALPHABET, aorKey, compileRanges, ownerByRange, place, placementKey, routeTable } from './placement';
import { checkRanges, routeRows } from './routes';

const paper = [
  { from: '', cluster: 'p1' },
  { from: 'i', cluster: 'p2' },
  { from: 'r', cluster: 'p3' },
];

function randomUser(rnd: () => number): string {
  const chars = `${ALPHABET}ABCXYZ`;
  const len = 1 + Math.floor(rnd() * 9);
  return Array.from({ length: len }, () => chars[Math.floor(rnd() * chars.length)]).join('');
}

function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('placement', () => {
  it("splits the paper's letters a-h, i-q, r-z", () => {
    const t = routeTable(paper);
    expect(place(t, { username: 'alice', domain: 'x' })).toBe('p1');
    expect(place(t, { username: 'Henry', domain: 'x' })).toBe('p1');
    expect(place(t, { username: 'ivan', domain: 'x' })).toBe('p2');
    expect(place(t, { username: 'Quentin', domain: 'x' })).toBe('p2');
    expect(place(t, { username: 'zoe', domain: 'x' })).toBe('p3');
    expect(place(t, { username: '+4930', domain: 'x' })).toBe('p1');
  });

  it('an override wins over the ranges, by the normalised address-of-record', () => {
    const t = routeTable(paper, [[aorKey({ username: 'Alice', domain: 'Lab.Test' }), 'p3']]);
    expect(place(t, { username: 'ALICE', domain: 'lab.test' })).toBe('p3');
    expect(place(t, { username: 'alice', domain: 'other.test' })).toBe('p1');
  });

  it('compiled prefixes agree with plain range comparison for any boundaries', () => {
    const rnd = lcg(7);
    const ranges = [
      { from: '', cluster: 'a' },
      { from: 'user1500', cluster: 'b' },
      { from: 'user1500a', cluster: 'a' },
      { from: 'm', cluster: 'c' },
      { from: "m'(", cluster: 'b' },
      { from: '+49', cluster: 'c' },
      { from: '%', cluster: 'b' },
    ];
    const t = routeTable(ranges);
    const probes = [
      ...ranges.map((r) => r.from),
      'user1499z',
      'user15',
      'user1500',
      'user15000',
      'user1501',
      'm',
      "m'",
      "m'(",
      "m'~",
      '+48',
      '+49',
      '+4999',
    ];
    for (let i = 0; i < 20_000; i++) probes.push(randomUser(rnd));
    for (const u of probes.filter(Boolean))
      expect(place(t, { username: u, domain: 'd' }), u).toBe(ownerByRange(ranges, u));
  });

  it('places by hash bucket: # and 4 hex digits of the MD5 of the lower-cased user part', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(placementKey(true, 'Alice')).toBe(`#${md5('alice').slice(0, 4)}`);
    expect(placementKey(false, 'Alice')).toBe('alice');
    const buckets = [
      { from: '', cluster: 'a' },
      { from: '#4', cluster: 'b' },
      { from: '#8', cluster: 'a' },
      { from: '#c3a', cluster: 'c' },
      { from: '#c4', cluster: 'b' },
    ];
    const t = routeTable(buckets);
    expect(t.hashed).toBe(true);
    const rnd = lcg(11);
    const seen = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const u = randomUser(rnd);
      const owner = place(t, { username: u, domain: 'd' });
      expect(owner, u).toBe(ownerByRange(buckets, u));
      seen.set(owner, (seen.get(owner) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['a', 'b', 'c']);
    // Half of the bucket space each: names do not skew it.
    const half = routeTable([
      { from: '', cluster: 'a' },
      { from: '#8', cluster: 'b' },
    ]);
    const users = Array.from({ length: 10_000 }, (_, i) => `user${1000 + i}`);
    const inB = users.filter((u) => place(half, { username: u, domain: 'd' }) === 'b').length;
    expect(inB).toBeGreaterThan(4_500);
    expect(inB).toBeLessThan(5_500);
    expect(routeRows(buckets, [], ['a', 'b', 'c'])[0]).toEqual({ key_name: 'k:hash', key_value: '1' });
    expect(routeRows(paper, [], ['p1', 'p2', 'p3']).some((r) => r.key_name === 'k:hash')).toBe(false);
  });

  it('refuses a map that mixes ranges of the user part with hash buckets', () => {
    expect(
      checkRanges(
        [
          { from: '', cluster: 'a' },
          { from: '#8', cluster: 'b' },
          { from: 'm', cluster: 'a' },
        ],
        ['a', 'b'],
      ),
    ).toMatch(/not both/);
  });

  it('keeps the compiled table small', () => {
    const n = compileRanges([
      { from: '', cluster: 'a' },
      { from: 'user1500', cluster: 'b' },
    ]).size;
    expect(n).toBeLessThan(8 * ALPHABET.length);
  });

  it('refuses a map without a default range', () => {
    expect(() => compileRanges([{ from: 'a', cluster: 'x' }])).toThrow(/empty string/);
  });
});
