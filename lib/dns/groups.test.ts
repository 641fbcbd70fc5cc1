import { describe, expect, it } from 'vitest';
import { analyze, type ServerView } from './analyze';
import { groupTargets } from './groups';
import type { Resolution, SrvSet } from './rfc3263';

// The DNS page over two clusters behind a first stage: targets recognised as the first stage or
// a cluster's SIP server, warnings that fit a first-stage deployment, groups per cluster.

const up = { udp: true, tcp: true };
const servers: ServerView[] = [
  { name: 'f1', host: '127.0.0.1', udpPort: 5090, up: { udp: true, tcp: null }, firstStage: true },
  { name: 'p1', host: '127.0.0.1', udpPort: 5060, tcpPort: 5060, up, cluster: 'c1' },
  { name: 'p2', host: '127.0.0.1', udpPort: 5062, tcpPort: 5062, up, cluster: 'c1' },
  { name: 'p3', host: '127.0.0.1', udpPort: 5064, tcpPort: 5064, up, cluster: 'c2' },
  {
    name: 'p4',
    host: '127.0.0.1',
    udpPort: 5066,
    tcpPort: 5066,
    up: { udp: false, tcp: false },
    cluster: 'c2',
  },
];

const set = (transport: 'udp' | 'tcp', targets: [string, number, number][]): SrvSet => ({
  transport,
  name: `_sip._${transport}.lab.sipha.test`,
  viaNaptr: false,
  targets: targets.map(([name, port, priority], _, all) => ({
    priority,
    weight: 10,
    port,
    target: `${name}.lab.sipha.test`,
    ttl: 5,
    share: priority === 0 ? 1 / all.filter((t) => t[2] === 0).length : 0,
    addresses: [{ address: '127.0.0.1', ttl: 5 }],
  })),
});

const resolution = (srv: SrvSet[]): Resolution => ({
  domain: 'lab.sipha.test',
  server: { host: '127.0.0.1', port: 5353 },
  naptr: [],
  srv,
});

const codes = (xs: { code: string }[]) => xs.map((x) => x.code);

describe('DNS with two clusters behind a first stage', () => {
  it("a zone with every cluster's SIP servers (the lab's renderZone): each row says its cluster, the first stage is missing", () => {
    const targets: [string, number, number][] = [
      ['p1', 5060, 0],
      ['p2', 5062, 1],
      ['p3', 5064, 2],
      ['p4', 5066, 3],
    ];
    const a = analyze(resolution([set('udp', targets), set('tcp', targets)]), servers, 30, []);
    expect(a.rows.filter((r) => r.transport === 'udp').map((r) => `${r.server}:${r.cluster}`)).toEqual([
      'p1:c1',
      'p2:c1',
      'p3:c2',
      'p4:c2',
    ]);
    expect(codes(a.warnings)).toEqual(['server-missing', 'bypasses-first-stage', 'bypasses-first-stage']);
    expect(a.warnings[0]!.text).toBe(
      'First stage f1 (127.0.0.1:5090) is not in _sip._udp.lab.sipha.test: phones using UDP never reach it.',
    );
    expect(a.warnings[1]!.text).toContain(
      'points at p1 (cluster c1), p2 (cluster c1), p3 (cluster c2), p4 (cluster c2)',
    );
    const groups = groupTargets({ rows: a.rows, servers, clusters: ['c1', 'c2'] });
    expect(groups.map((g) => [g.title, g.rows.map((r) => r.server).join(' '), g.note])).toEqual([
      ['First stage', '', 'Not in DNS: f1 (answers OPTIONS). Phones never reach it by the domain.'],
      ['Cluster c1', 'p1 p2 p1 p2', null],
      ['Cluster c2', 'p3 p4 p3 p4', null],
    ]);
  });

  it('a zone that leads to the first stage: no warning; each cluster is reached through it', () => {
    const a = analyze(resolution([set('udp', [['f1', 5090, 0]])]), servers, 30, []);
    expect(a.warnings).toEqual([]);
    expect(a.rows.map((r) => [r.server, r.firstStage, r.up])).toEqual([['f1', true, true]]);
    const groups = groupTargets({ rows: a.rows, servers, clusters: ['c1', 'c2'] });
    expect(groups.map((g) => [g.key, g.rows.length, g.note])).toEqual([
      ['first-stage', 1, null],
      [
        'c1',
        0,
        'Not in DNS: p1 (answers OPTIONS), p2 (answers OPTIONS). Phones reach them through the first stage f1.',
      ],
      [
        'c2',
        0,
        'Not in DNS: p3 (answers OPTIONS), p4 (does not answer OPTIONS). Phones reach them through the first stage f1.',
      ],
    ]);
    // The picker: one cluster's group, and the first stage that serves it.
    expect(
      groupTargets({ rows: a.rows, servers, clusters: ['c1', 'c2'], only: 'c2' }).map((g) => g.key),
    ).toEqual(['first-stage', 'c2']);
  });

  it('a target that is no configured server gets a group of its own', () => {
    const a = analyze(
      resolution([
        set('udp', [
          ['f1', 5090, 0],
          ['old', 5999, 1],
        ]),
      ]),
      servers,
      30,
      [],
    );
    expect(codes(a.warnings)).toEqual(['dangling-target']);
    const groups = groupTargets({ rows: a.rows, servers, clusters: ['c1', 'c2'] });
    expect(groups.at(-1)).toMatchObject({ key: 'unknown', rows: [{ target: 'old.lab.sipha.test' }] });
  });
});
