import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeConfig } from '@/lib/config/schema';
import { syncedStatus } from '../../test/helpers/galera-status';
import { GoneMemberEvictions, PlannedStops } from './evict-gone';
import type { GaleraStatus } from './status';

// The decision only: whether a refused port starts an eviction. Nothing listens on the nodes'
// port, so the watch sessions and an eviction that starts end at once with a refused connect.
const node = (name: string) =>
  ({ name, host: '127.0.0.1', port: 1, user: 'sipha', password: 'x', database: 'kamailio' }) as NodeConfig;
const nodes = ['d1', 'd2', 'd3'].map(node);
const member = (clusterSize: number, gcommUuid: string): GaleraStatus =>
  syncedStatus({ clusterSize, lastCommitted: 1, clusterUuid: 'c', gcommUuid });
const uuid = (n: number) => `0000000${n}-ec7e-11f1-9916-d7ccc844b74e`;

describe('evicting a member whose port refuses', () => {
  let statuses: Map<string, GaleraStatus | null>;
  let planned: PlannedStops;
  let ev: GoneMemberEvictions;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    statuses = new Map(nodes.map((n, i) => [n.name, member(3, uuid(i + 1))]));
    planned = new PlannedStops();
    ev = new GoneMemberEvictions({
      status: (name) => statuses.get(name) ?? null,
      planned,
      audit: async () => undefined,
      recheck: () => undefined,
    });
    for (const n of nodes) ev.seen(n, statuses.get(n.name)!, 100);
  });
  afterEach(() => vi.useRealTimers());

  it('evicts a member seen moments ago, the survivors a majority in its view', () => {
    statuses.set('d1', null);
    expect(ev.refused('d1', nodes, 100)).toBe(true);
    // Once: the record is gone with the eviction.
    expect(ev.refused('d1', nodes, 100)).toBe(false);
  });
  it('never a node an operation stops, during the stop or after it, until it is a member again', () => {
    planned.add('d1');
    expect(ev.refused('d1', nodes, 100)).toBe(false);
    planned.delete('d1');
    statuses.set('d1', null);
    expect(ev.refused('d1', nodes, 100)).toBe(false);
    // Restarted and Synced: a member again, evicted when its new process dies.
    ev.seen(nodes[0]!, member(3, uuid(9)), 100);
    expect(ev.refused('d1', nodes, 100)).toBe(true);
  });
  it('not on a record older than 10 s, nor when the survivors report another view or are no majority', () => {
    vi.setSystemTime(Date.now() + 10_001);
    expect(ev.refused('d1', nodes, 100)).toBe(false);
    vi.setSystemTime(Date.now() - 10_001);
    ev.seen(nodes[0]!, member(3, uuid(1)), 100);
    statuses.set('d2', member(2, uuid(2)));
    expect(ev.refused('d1', nodes, 100)).toBe(false);
    statuses.set('d2', null);
    statuses.set('d3', member(3, uuid(3)));
    expect(ev.refused('d1', nodes, 100)).toBe(false);
  });
});
