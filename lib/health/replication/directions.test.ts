import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDirections, type SampleView } from './directions';
import { BeatHistory } from './lag';
import type { NodeFacts } from './node-facts';
import { normalizeReplicaStatus } from './status';

const golden = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__golden__/status/${name}.json`, import.meta.url), 'utf8'));
const T = 1_700_000_000_000;
const nodes = [
  { name: 'd1', host: '10.0.0.1', port: 3306 },
  { name: 'd2', host: '10.0.0.2', port: 3306 },
];

function facts(row: Record<string, unknown>, seen?: { seq: number; at: number }): NodeFacts {
  return {
    flavor: 'mariadb',
    replicas: [normalizeReplicaStatus('mariadb', row)],
    gtid: { binlog: '0-1-10', slave: '0-1-10', current: '0-1-10' },
    readerNow: T + 5000,
    beats: new Map(seen ? [['d1', seen]] : []),
  };
}

function view(f: NodeFacts, answering = true): SampleView {
  return { facts: f, okAt: T, error: null, heartbeatSkipped: null, answering };
}

describe('buildDirections', () => {
  it('names the direction by the source host and port and reports heartbeat lag', () => {
    const h = new BeatHistory();
    for (let i = 0; i < 6; i++) h.record({ seq: i + 1, at: T + i * 1000 });
    const [d] = buildDirections({
      nodes,
      samples: new Map([['d2', view(facts(golden('mariadb-10.11-healthy'), { seq: 6, at: T + 5000 }))]]),
      history: new Map([['d1', h]]),
    });
    expect(d).toMatchObject({
      from: 'd1',
      to: 'd2',
      health: 'ok',
      lagMs: 0,
      ioRunning: 'Yes',
      sqlRunning: true,
    });
    expect(d?.summary).toBe('replicating, 0 ms behind');
  });

  it('explains a 1062 duplicate key with the auto-increment advice', () => {
    const [d] = buildDirections({
      nodes,
      samples: new Map([['d2', view(facts(golden('mariadb-10.11-dup-key')))]]),
      history: new Map(),
    });
    expect(d?.health).toBe('broken');
    expect(d?.summary).toContain('1062');
    const e = d?.errors.find((x) => x.thread === 'sql');
    expect(e?.errno).toBe(1062);
    expect(e?.fix.join(' ')).toMatch(/auto_increment_increment/);
  });

  it('says the state is unknown when the replica stopped answering', () => {
    const [d] = buildDirections({
      nodes,
      samples: new Map([['d2', view(facts(golden('mariadb-10.11-healthy')), false)]]),
      history: new Map(),
    });
    expect(d).toMatchObject({ health: 'unknown', lagMs: null });
    expect(d?.summary).toBe('d2 is not answering; state unknown');
  });

  it('does not call a direction ok when its source stopped answering (SIGSTOP keeps IO at Yes)', () => {
    const h = new BeatHistory();
    h.record({ seq: 6, at: T + 5000 });
    const [d] = buildDirections({
      nodes,
      samples: new Map([
        ['d1', view(facts(golden('mariadb-10.11-healthy')), false)],
        ['d2', view(facts(golden('mariadb-10.11-healthy'), { seq: 6, at: T + 5000 }))],
      ]),
      history: new Map([['d1', h]]),
    }).filter((x) => x.to === 'd2');
    expect(d).toMatchObject({ from: 'd1', to: 'd2', health: 'unknown', ioRunning: 'Yes' });
    expect(d?.summary).toBe('d1 (the source) is not answering; nothing new can arrive');
  });

  it('lists directions in ring order whatever order the nodes were sampled in', () => {
    const ring = [
      { name: 'd1', host: '10.0.0.1', port: 3306 },
      { name: 'd2', host: '10.0.0.2', port: 3306 },
      { name: 'd3', host: '10.0.0.3', port: 3306 },
    ];
    const from = (host: string) =>
      view(facts({ ...golden('mariadb-10.11-healthy'), Master_Host: host, Master_Port: 3306 }));
    const ds = buildDirections({
      nodes: ring,
      samples: new Map([
        ['d1', from('10.0.0.3')],
        ['d2', from('10.0.0.1')],
        ['d3', from('10.0.0.2')],
      ]),
      history: new Map(),
    });
    expect(ds.map((d) => `${d.from}→${d.to}`)).toEqual(['d1→d2', 'd2→d3', 'd3→d1']);
  });
});
