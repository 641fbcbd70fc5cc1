import { describe, expect, it } from 'vitest';
import { analyze, hasNaptrBug, type ServerView } from './analyze';
import { planDrain, rrText } from './drain-plan';
import { type Resolution, shares } from './rfc3263';

const servers: ServerView[] = [
  { name: 'p1', host: '127.0.0.1', udpPort: 5060, tcpPort: 5060, up: { udp: true, tcp: true } },
  { name: 'p2', host: '127.0.0.1', udpPort: 5062, tcpPort: 5062, up: { udp: true, tcp: true } },
];

const target = (name: string, port: number, priority: number, weight: number, share: number) => ({
  priority,
  weight,
  port,
  target: `${name}.lab.sipha.test`,
  ttl: 5,
  share,
  addresses: [{ address: '127.0.0.1', ttl: 5 }],
});

const resolution = (): Resolution => ({
  domain: 'lab.sipha.test',
  server: { host: '127.0.0.1', port: 5353 },
  naptr: [],
  srv: [
    {
      transport: 'udp',
      name: '_sip._udp.lab.sipha.test',
      viaNaptr: false,
      targets: [target('p1', 5060, 0, 10, 1), target('p2', 5062, 1, 10, 0)],
    },
    {
      transport: 'tcp',
      name: '_sip._tcp.lab.sipha.test',
      viaNaptr: false,
      targets: [target('p1', 5060, 0, 10, 1), target('p2', 5062, 1, 10, 0)],
    },
  ],
});

describe('SRV shares (RFC 2782)', () => {
  it('shares the top priority by weight; lower priorities are backups', () => {
    const s = shares([
      { priority: 0, weight: 40, port: 1, target: 'a' },
      { priority: 0, weight: 40, port: 2, target: 'b' },
      { priority: 0, weight: 20, port: 3, target: 'c' },
      { priority: 1, weight: 50, port: 4, target: 'd' },
    ]);
    expect(s).toEqual([0.4, 0.4, 0.2, 0]);
  });
  it('leaves a weight-0 record 1/(sum+1) of the draws, as RFC 2782 selects', () => {
    const s = shares([
      { priority: 0, weight: 0, port: 1, target: 'a' },
      { priority: 0, weight: 9, port: 2, target: 'b' },
    ]);
    expect(s).toEqual([0.1, 0.9]);
  });
  it('splits evenly when every weight is 0', () => {
    expect(
      shares([
        { priority: 0, weight: 0, port: 1, target: 'a' },
        { priority: 0, weight: 0, port: 2, target: 'b' },
      ]),
    ).toEqual([0.5, 0.5]);
  });
});

describe('Kamailio issue 4911 versions', () => {
  it('flags 5.3 to 6.1.4, not 5.2 or later fixes', () => {
    expect(hasNaptrBug('kamailio 5.6.3 (x86_64/linux)')).toBe(true);
    expect(hasNaptrBug('kamailio 6.1.4 (x86_64/linux)')).toBe(true);
    expect(hasNaptrBug('kamailio 5.2.4 (x86_64/linux)')).toBe(false);
    expect(hasNaptrBug('kamailio 6.1.5 (x86_64/linux)')).toBe(false);
  });
});

describe('analysis', () => {
  it('maps targets to configured servers and has nothing to say about a clean zone', () => {
    const a = analyze(resolution(), servers, 30, []);
    expect(a.rows.map((r) => [r.transport, r.server, r.up])).toEqual([
      ['udp', 'p1', true],
      ['udp', 'p2', true],
      ['tcp', 'p1', true],
      ['tcp', 'p2', true],
    ]);
    expect(a.warnings).toEqual([]);
  });

  it('says when every top-priority target is down', () => {
    const down = servers.map((s) => (s.name === 'p1' ? { ...s, up: { udp: false, tcp: false } } : s));
    const codes = analyze(resolution(), down, 30, []).warnings.map((w) => w.code);
    expect(codes).toEqual(['top-priority-down', 'top-priority-down']);
  });
});

describe('drain plan', () => {
  const p1 = servers[0]!;
  it('sets weight 0 in every SRV set and keeps the old values in a TXT memo', () => {
    const plan = planDrain({
      res: resolution(),
      zone: 'lab.sipha.test',
      server: p1,
      op: 'drain',
      mode: 'weight',
      memo: null,
    });
    if ('problem' in plan) throw new Error(plan.problem);
    expect(plan.after.map(rrText)).toEqual([
      '_sip._udp.lab.sipha.test. 5 IN SRV 0 0 5060 p1.lab.sipha.test.',
      '_sip._tcp.lab.sipha.test. 5 IN SRV 0 0 5060 p1.lab.sipha.test.',
    ]);
    expect(plan.add.at(-1)?.data).toEqual([
      '_sip._udp.lab.sipha.test 0 10 5060',
      '_sip._tcp.lab.sipha.test 0 10 5060',
    ]);
  });
  it('moves the server below the lowest priority', () => {
    const plan = planDrain({
      res: resolution(),
      zone: 'lab.sipha.test',
      server: p1,
      op: 'drain',
      mode: 'priority',
      memo: null,
    });
    if ('problem' in plan) throw new Error(plan.problem);
    expect(plan.after.map((r) => (r.data as { priority: number }).priority)).toEqual([2, 2]);
  });
  it('refuses to restore a server sipha did not drain', () => {
    expect(
      planDrain({
        res: resolution(),
        zone: 'lab.sipha.test',
        server: p1,
        op: 'restore',
        mode: 'weight',
        memo: null,
      }),
    ).toEqual({
      problem: 'p1 was not drained through sipha: there is nothing to restore.',
    });
  });
});
