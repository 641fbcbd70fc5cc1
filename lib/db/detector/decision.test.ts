import { describe, expect, it } from 'vitest';
import { decideNode, peerQuietMs } from './decision';
import type { ChannelObs, DecideOptions, NodeObs, Snapshot } from './types';

// The decision on made-up observations (times are plain numbers: a fake clock).

const opts: DecideOptions = {
  silenceMs: 600,
  intervalMs: 250,
  addr: new Map([
    ['d1', { host: '10.0.0.11', port: 3306 }],
    ['d2', { host: '10.0.0.12', port: 3306 }],
  ]),
};
const ok = (serverId: number) => ({ version: '10.11', readOnly: false, serverId, latencyMs: 1 });

function node(name: string, o: Partial<NodeObs> = {}): NodeObs {
  return {
    name,
    lastOkAt: 10_000,
    ok: ok(name === 'd1' ? 1 : 2),
    hardFail: null,
    silentSince: null,
    silentProbes: 0,
    stallMs: 0,
    channels: [],
    ...o,
  };
}

/** d2's channel from d1, last moving at `changedAt`, sampled at `sampledAt`. */
function fromD1(changedAt: number | null, sampledAt: number, io = 'Yes'): ChannelObs {
  return {
    host: '10.0.0.11',
    port: 3306,
    serverId: 1,
    io,
    periodMs: 100,
    changedAt,
    firstSeen: 0,
    sampledAt,
  };
}

function snap(t: number, d1: NodeObs, d2: NodeObs): Snapshot {
  return { t, nodes: [d1, d2] };
}

describe('failure decision', () => {
  it('takes a refused connection as down at once', () => {
    const d1 = node('d1', { hardFail: { at: 10_100, start: 10_099, code: 'ECONNREFUSED', errno: null } });
    const v = decideNode(d1, snap(10_100, d1, node('d2')), opts);
    expect(v).toMatchObject({ state: 'down', words: 'connection refused', code: 'ECONNREFUSED' });
  });

  it('does not count a silence its own scheduling delay explains', () => {
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 5, stallMs: 900 });
    const v = decideNode(d1, snap(11_000, d1, node('d2', { lastOkAt: 11_000 })), opts);
    expect(v.state).toBe('up');
    expect(v.words).toContain('900 ms');
  });

  it('fails over only when the peer stopped receiving too, and says so', () => {
    const d2 = node('d2', { lastOkAt: 10_700, channels: [fromD1(10_050, 10_700)] });
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
    const v = decideNode(d1, snap(10_700, d1, d2), opts);
    expect(v.state).toBe('down');
    expect(v.words).toBe('3 probes over 700 ms without answer; d2 received no event from d1 for 650 ms');
  });

  it('waits while the peer cannot tell yet', () => {
    const d2 = node('d2', { lastOkAt: 10_700, channels: [fromD1(10_500, 10_700)] });
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
    expect(decideNode(d1, snap(10_700, d1, d2), opts).state).toBe('suspect');
  });

  it('is the one cut off when the peer still receives from the node', () => {
    const d2 = node('d2', { lastOkAt: 11_000, channels: [fromD1(10_950, 11_000)] });
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 6 });
    const v = decideNode(d1, snap(11_000, d1, d2), opts);
    expect(v.state).toBe('cut-off');
    expect(v.words).toContain('the console is cut off from d1');
  });

  it('takes a stopped IO thread on the peer as its view of a gone source', () => {
    const d2 = node('d2', { lastOkAt: 10_700, channels: [fromD1(10_600, 10_700, 'Connecting')] });
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
    const v = decideNode(d1, snap(10_700, d1, d2), opts);
    expect(v.state).toBe('down');
    expect(v.words).toContain("d2's replication from d1 is connecting");
  });

  it('never decides while the peer does not answer either (the console may be the one cut off)', () => {
    const d2 = node('d2', { lastOkAt: 9_900, silentSince: 10_000, silentProbes: 8 });
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 8 });
    expect(decideNode(d1, snap(12_000, d1, d2), opts).state).toBe('suspect');
  });

  it('decides on probes alone, over twice the silence, when no peer replicates from the node', () => {
    const d2 = node('d2', { lastOkAt: 11_300, channels: [] });
    const d1 = node('d1', { silentSince: 10_000, silentProbes: 5 });
    expect(decideNode(d1, snap(10_700, d1, d2), opts).state).toBe('suspect');
    const v = decideNode(d1, snap(11_300, d1, d2), opts);
    expect(v.state).toBe('down');
    expect(v.words).toContain('d2 does not replicate from d1');
  });

  it('needs three heartbeat periods of quiet, and gives up on rare heartbeats', () => {
    expect(peerQuietMs(100)).toBe(400);
    expect(peerQuietMs(1000)).toBe(3100);
    expect(peerQuietMs(30_000)).toBeNull();
  });
});
