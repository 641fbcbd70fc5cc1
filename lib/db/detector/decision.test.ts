import { describe, expect, it } from 'vitest';
import { decideNode, peerQuietMs } from './decision';
import type { ChannelObs, DecideOptions, NodeObs, SipObs, Snapshot } from './types';

// The decision on made-up observations (times are plain numbers: a fake clock).

const opts: DecideOptions = {
  silenceMs: 600,
  intervalMs: 250,
  sipGraceMs: 3500,
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

  describe("with the SIP servers' view", () => {
    /** A SIP server's db_cluster list, read by a call sent at `sentAt`. */
    function sipObs(name: string, order: string[], sentAt: number, d1: 'active' | 'disabled'): SipObs {
      const conns = order.map((n) => ({
        node: n,
        state: n === 'd1' ? d1 : ('active' as const),
        secondsLeft: n === 'd1' && d1 === 'disabled' ? 28 : 0,
      }));
      return { name, order, sentAt, conns, error: null };
    }
    const withSip = (s: Snapshot, sip: SipObs[]): Snapshot => ({ ...s, sip });

    it("names the SIP servers that marked the node inactive in a failover's evidence", () => {
      const d2 = node('d2', { lastOkAt: 10_700, channels: [fromD1(10_050, 10_700)] });
      const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
      const sip = [
        sipObs('p1', ['d1', 'd2'], 10_600, 'disabled'),
        sipObs('p2', ['d1', 'd2'], 10_650, 'disabled'),
      ];
      const v = decideNode(d1, withSip(snap(10_700, d1, d2), sip), opts);
      expect(v.state).toBe('down');
      expect(v.words).toBe(
        '3 probes over 700 ms without answer; d2 received no event from d1 for 650 ms; p1 and p2 marked d1 inactive',
      );
    });

    it('does not slow a failover while a SIP server cannot have noticed the hang yet', () => {
      const d2 = node('d2', { lastOkAt: 10_700, channels: [fromD1(10_050, 10_700)] });
      const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
      const v = decideNode(
        d1,
        withSip(snap(10_700, d1, d2), [sipObs('p1', ['d1', 'd2'], 10_600, 'active')]),
        opts,
      );
      expect(v.state).toBe('down');
      expect(v.words).toContain('p1 still uses d1 (too soon to tell)');
    });

    it('is the one cut off when a SIP server still uses the node long after the console lost it', () => {
      // The peer cannot be asked (the console cannot reach it either); p2 writes to d1 all along.
      const d2 = node('d2', { lastOkAt: 9_900, silentSince: 10_000, silentProbes: 20 });
      const d1 = node('d1', { silentSince: 10_000, silentProbes: 20 });
      const sip = [sipObs('p2', ['d1', 'd2'], 13_600, 'active')];
      const v = decideNode(d1, withSip(snap(13_700, d1, d2), sip), opts);
      expect(v.state).toBe('cut-off');
      expect(v.words).toContain('but p2 still uses d1: the console is cut off from d1');
    });

    it('takes a peer that stopped receiving over a SIP server that never noticed the hang', () => {
      // p1 has no traffic: db_cluster keeps d1 "active" however long d1 hangs.
      const d2 = node('d2', { lastOkAt: 13_700, channels: [fromD1(10_050, 13_700)] });
      const d1 = node('d1', { silentSince: 10_000, silentProbes: 17 });
      const sip = [sipObs('p1', ['d1', 'd2'], 13_600, 'active')];
      const v = decideNode(d1, withSip(snap(13_700, d1, d2), sip), opts);
      expect(v.state).toBe('down');
      expect(v.words).toContain('d2 received no event from d1 for 3650 ms; p1 still uses d1');
    });

    it('lets the SIP servers that used the node decide when no peer replicates from it', () => {
      const d2 = node('d2', { lastOkAt: 10_700, channels: [] });
      const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
      // p2 uses d2 first: it has not tried d1 and says nothing about it.
      const sip = [
        sipObs('p1', ['d1', 'd2'], 10_600, 'disabled'),
        sipObs('p2', ['d2', 'd1'], 10_600, 'active'),
      ];
      const v = decideNode(d1, withSip(snap(10_700, d1, d2), sip), opts);
      expect(v.state).toBe('down');
      expect(v.words).toContain('p1 marked d1 inactive');
      expect(v.words).not.toContain('p2');
      // Without a SIP server's word, the probes alone need twice the silence.
      expect(decideNode(d1, snap(10_700, d1, d2), opts).state).toBe('suspect');
    });

    it("ignores a view read before the console lost the node, and a disable that is the console's", () => {
      const d2 = node('d2', { lastOkAt: 10_700, channels: [] });
      const d1 = node('d1', { silentSince: 10_000, silentProbes: 3 });
      const old = sipObs('p1', ['d1', 'd2'], 9_900, 'disabled');
      const fenced = {
        ...sipObs('p2', ['d1', 'd2'], 10_600, 'disabled'),
        conns: [{ node: 'd1', state: 'disabled' as const, secondsLeft: 315_360_000 }],
      };
      const v = decideNode(d1, withSip(snap(10_700, d1, d2), [old, fenced]), opts);
      expect(v.state).toBe('suspect');
      expect(v.words).toContain('p1 could not be asked');
    });
  });

  it('needs three heartbeat periods of quiet, and gives up on rare heartbeats', () => {
    expect(peerQuietMs(100)).toBe(400);
    expect(peerQuietMs(1000)).toBe(3100);
    expect(peerQuietMs(30_000)).toBeNull();
  });
});
