import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';
import { byKey, mergePages } from './merge-pages';
import type { Registration, RegistrationPage } from './types';

// Keyset pages over clusters, with a cluster's table imitated in memory the way the query reads
// it (rows after the cursor in key order, limit + 1): the merged pages must list every row of the
// clusters that answered once, in order, also when a cluster drops out or comes back midway.

let nextId = 1;
const reg = (cluster: string, username: string, domain: string | null = 'lab.sipha.test'): Registration => ({
  id: nextId++,
  ruid: `r${nextId}`,
  aor: domain ? `${username}@${domain}` : username,
  username,
  domain,
  contact: `sip:${username}@10.0.0.1:5060`,
  received: null,
  path: null,
  expiresIn: 3600,
  expired: false,
  q: -1,
  userAgent: 'test',
  socket: null,
  serverId: 1,
  server: 'p1',
  cluster,
  lastModified: new Date(0).toISOString(),
});

const c1 = ['user1000', 'user1003', 'User1004', 'user1007', 'user1010'].map((u) => reg('c1', u));
const c2 = [
  reg('c2', 'user1001', null),
  ...['user1002', 'user1005', 'user1006', 'user1009'].map((u) => reg('c2', u)),
];

function tablePage(rows: Registration[], after: string | null, limit: number): RegistrationPage {
  const c = decodeCursor(after);
  const sorted = [...rows].sort(byKey);
  const from = c ? sorted.filter((r) => byKey(r, { ...r, ...c }) > 0) : sorted;
  const page = from.slice(0, limit);
  const last = from.length > limit ? page.at(-1) : undefined;
  return {
    rows: page,
    next: last ? encodeCursor(last) : null,
    node: rows[0]!.cluster === 'c1' ? 'd1' : 'd3',
    at: '',
  };
}

function pageAll(answering: (page: number) => Registration[][], limit: number): string[] {
  const seen: string[] = [];
  let after: string | null = null;
  for (let n = 0; n < 20; n++) {
    const page = mergePages(
      answering(n).map((t) => tablePage(t, after, limit)),
      limit,
    );
    seen.push(...page.rows.map((r) => r.username));
    after = page.next;
    if (!after) return seen;
  }
  throw new Error('did not end');
}

const names = (rows: Registration[]) => [...rows].sort(byKey).map((r) => r.username);

describe('registration pages merged over clusters', () => {
  it('lists every row of both clusters once, in key order (NULL domain first, case-insensitive)', () => {
    for (const limit of [1, 2, 3, 50]) expect(pageAll(() => [c1, c2], limit)).toEqual(names([...c1, ...c2]));
    expect(names([...c1, ...c2]).slice(0, 5)).toEqual([
      'user1000',
      'user1001',
      'user1002',
      'user1003',
      'User1004',
    ]);
  });

  it('pages over the cluster that answered alone, each of its rows once', () => {
    for (const limit of [1, 2, 3]) expect(pageAll(() => [c1], limit)).toEqual(names(c1));
  });

  it('keeps the key order when a cluster drops out midway, and takes it up from the cursor when it is back', () => {
    // c2 answers page 0, not page 1, again from page 2 on: its rows between the two cursors of
    // page 1 are the only ones not listed; nothing is listed twice and the order holds.
    const seen = pageAll((n) => (n === 1 ? [c1] : [c1, c2]), 2);
    expect(seen).toEqual([...seen].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((u) => c1.some((r) => r.username === u))).toEqual(names(c1));
    expect(names([...c1, ...c2]).filter((u) => !seen.includes(u))).toEqual(['user1002']);
  });

  it('a single page passes as the cluster returned it; the node names every cluster read', () => {
    const one = tablePage(c2, null, 2);
    expect(mergePages([one], 2)).toBe(one);
    const both = mergePages([tablePage(c1, null, 2), tablePage(c2, null, 2)], 2);
    expect(both.node).toBe('d1, d3');
    expect(both.rows.map((r) => r.username)).toEqual(['user1000', 'user1001']);
    expect(decodeCursor(both.next)).toMatchObject({ username: 'user1001', domain: null });
  });
});
