import { describe, expect, it } from 'vitest';
import { num, parseArgs } from './args.ts';
import { renderConfig, renderTemplate } from './kamailio.ts';
import { nodeArgs } from './mariadb.ts';
import { masterOf } from './replication.ts';
import { ha1, seedUsers } from './schema.ts';
import { injectionCsv, parseRtt, parseStat, percentile } from './sipp.ts';

describe('argument parsing', () => {
  it('defaults to set-up in .lab under the repo root', () => {
    expect(parseArgs([], '/repo')).toEqual({ verb: 'setup', name: undefined, dir: '/repo/.lab', flags: {} });
  });
  it('reads verbs, names, value flags and boolean flags', () => {
    const a = parseArgs(['up', '--nodes', '3', '--fresh', '--dir=/tmp/x', '--no-console'], '/repo');
    expect(a).toMatchObject({
      verb: 'up',
      dir: '/tmp/x',
      flags: { nodes: '3', fresh: true, 'no-console': true },
    });
    expect(num(a.flags, 'nodes', 2)).toBe(3);
    expect(num(a.flags, 'rate', 280)).toBe(280);
    expect(parseArgs(['kill', 'p1'], '/repo').name).toBe('p1');
  });
  it('rejects unknown verbs, missing names and values', () => {
    expect(() => parseArgs(['explode'], '/r')).toThrow(/unknown verb/);
    expect(() => parseArgs(['stop'], '/r')).toThrow(/needs a NAME/);
    expect(() => parseArgs(['load', '--rate'], '/r')).toThrow(/needs a value/);
    expect(() => num({ rate: 'fast' }, 'rate', 1)).toThrow(/positive/);
  });
  it('reads partition and heal with two names, or one name and --all', () => {
    expect(parseArgs(['partition', 'console', 'd1'], '/r')).toMatchObject({ name: 'console', other: 'd1' });
    expect(parseArgs(['partition', 'd1', '--all'], '/r').flags.all).toBe(true);
    expect(parseArgs(['heal'], '/r').name).toBeUndefined();
    expect(parseArgs(['up', '--netns'], '/r').flags.netns).toBe(true);
    expect(() => parseArgs(['partition', 'd1'], '/r')).toThrow(/two names/);
    expect(() => parseArgs(['heal', 'd1'], '/r')).toThrow(/two names, or none/);
  });
});

describe('kamailio config', () => {
  it('fills every placeholder of the template', () => {
    const cfg = renderConfig({
      name: 'p2',
      node: 'd2',
      serverId: 2,
      sipPort: 45060,
      rpcPort: 45061,
      domain: 'lab.sipha.test',
      dbUrl: 'mysql://kamailio:pw@127.0.0.1:40001/kamailio',
    });
    expect(cfg).not.toMatch(/\{\{/);
    expect(cfg).toContain('server_id=2');
    expect(cfg).toContain('listen=udp:127.0.0.1:45060');
    expect(cfg).toContain('listen=tcp:127.0.0.1:45060');
    expect(cfg).toContain('listen=tcp:127.0.0.1:45061');
    expect(cfg).toContain('modparam("usrloc", "db_url", "mysql://kamailio:pw@127.0.0.1:40001/kamailio")');
    expect(cfg).toContain('modparam("usrloc", "db_mode", 3)');
    expect(cfg).toContain('$Rp == 45061');
  });
  it('refuses a placeholder without a value', () => {
    expect(() => renderTemplate('a {{MISSING}} b', {})).toThrow(/MISSING/);
  });
});

describe('mariadb node arguments', () => {
  const base = { port: 40000, datadir: '/l/d2/data', runDir: '/l/d2' };
  it('sets per-node replication settings in a replicated lab', () => {
    const a = nodeArgs({ ...base, index: 2, count: 3, fresh: false });
    expect(a[0]).toBe('--no-defaults');
    expect(a).toEqual(
      expect.arrayContaining([
        '--server-id=2',
        '--gtid-domain-id=2',
        '--auto-increment-increment=3',
        '--auto-increment-offset=2',
        '--log-bin=mysql-bin',
        '--port=40000',
      ]),
    );
  });
  it('leaves auto-increment and domain id at defaults in a fresh lab', () => {
    const a = nodeArgs({ ...base, index: 2, count: 2, fresh: true, extra: ['--skip-log-bin'] });
    expect(a.some((x) => x.startsWith('--auto-increment') || x.startsWith('--gtid-domain-id'))).toBe(false);
    expect(a).toContain('--server-id=2');
    expect(a.at(-1)).toBe('--skip-log-bin');
  });
  it('replicates two nodes both ways and three or more in a ring', () => {
    expect([masterOf(1, 2), masterOf(2, 2)]).toEqual([2, 1]);
    expect([1, 2, 3].map((i) => masterOf(i, 3))).toEqual([3, 1, 2]);
  });
});

describe('seed users and sipp', () => {
  it('seeds user1000.. with secret1000.. and kamctl hashes', () => {
    const u = seedUsers(100);
    expect(u).toHaveLength(100);
    expect(u[0]).toEqual({ username: 'user1000', password: 'secret1000' });
    expect(u[99]).toEqual({ username: 'user1099', password: 'secret1099' });
    // Expected values computed independently (Python hashlib).
    expect(ha1('alice', 'example.com', 'pw')).toEqual({
      ha1: '981a4ef40955b75633f737a3ece44230',
      ha1b: '94e77326454c7347185d0106b03216ff',
    });
  });
  it('writes the auth keyword into the injection file', () => {
    expect(injectionCsv([{ username: 'u1', password: 'p1' }], 'd.test', 60)).toBe(
      'SEQUENTIAL\nu1;[authentication username=u1 password=p1];d.test;60\n',
    );
  });
  it('parses sipp statistics and response times', () => {
    const stat = 'StartTime;TotalCallCreated;SuccessfulCall(C);FailedCall(C)\nx;10;9;1\ny;250;249;1\n';
    expect(parseStat(stat)).toEqual({ sent: 250, ok: 249, failed: 1 });
    const rtts = parseRtt('Date_ms;response_time_ms;rtd_no\n28.001;4;1\n48.001;2;1\n');
    expect(rtts).toEqual([4, 2]);
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBe(0);
  });
});
