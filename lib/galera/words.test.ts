import { describe, expect, it } from 'vitest';
import { syncedStatus } from '../../test/helpers/galera-status';
import type { GaleraStatus } from './status';
import { galeraProblems, type NodeEvidence } from './words';

const synced = syncedStatus();
const ev = (
  node: string,
  status: Partial<GaleraStatus> | null,
  extra: Partial<NodeEvidence> = {},
): NodeEvidence => ({
  node,
  status: status ? { ...synced, ...status } : null,
  error: status ? null : 'connection refused',
  inStateMs: 0,
  lastState: 'Synced',
  ...extra,
});
const codes = (e: NodeEvidence[], n = 3) => galeraProblems(e, n).map((p) => `${p.node}:${p.code}`);

describe('Galera problems in plain words', () => {
  it('says nothing about a healthy cluster', () => {
    expect(codes([ev('d1', {}), ev('d2', {}), ev('d3', {})])).toEqual([]);
  });
  it('names a node outside the primary component, a missing member and a dead joiner', () => {
    expect(
      codes([
        ev('d1', { clusterSize: 2 }),
        ev('d2', { clusterStatus: 'non-Primary', clusterSize: 1 }),
        ev('d3', null, { lastState: 'Joining' }),
      ]),
    ).toEqual(['d2:no_primary', 'd3:sst_failed', ':size']);
  });
  it('tells a stuck donor from a desynced node and reports flow control', () => {
    const p = galeraProblems(
      [
        ev('d1', { localState: 'Donor/Desynced' }, { inStateMs: 600_000 }),
        ev('d2', { localState: 'Donor/Desynced', desyncCount: 1 }),
        ev('d3', { flowControlPaused: 0.4, recvQueue: 120 }),
      ],
      3,
    );
    expect(p.map((x) => x.code)).toEqual(['donor_stuck', 'desynced', 'flow_control']);
    expect(p[1]!.fix).toMatch(/wsrep_desync=OFF/);
    expect(p[2]!.words).toMatch(/40 %/);
  });
  it('tells a plain server (wsrep off, answering) from a node that is down', () => {
    const plain = ev('d1', null, { error: null, lastState: null });
    const [p] = galeraProblems([plain, ev('d2', null, { lastState: null })], 2);
    expect(p).toMatchObject({ node: 'd1', code: 'standalone' });
    expect(p?.words).toMatch(/runs without Galera/);
    expect(p?.fix).toMatch(/Bootstrap a new cluster/);
    expect(codes([plain, ev('d2', null, { lastState: null })], 2)).toEqual([
      'd1:standalone',
      'd2:unreachable',
    ]);
  });
});
