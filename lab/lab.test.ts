import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestHashes } from '../lib/users/hash.ts';
import { until } from '../test/helpers/poll.ts';
import { num, parseArgs } from './args.ts';
import { callCsv, labUser } from './calls.ts';
import { renderConfig, renderTemplate } from './kamailio.ts';
import { sipDb } from './kamailio-dbcl.ts';
import { nodeArgs } from './mariadb.ts';
import { strays } from './process.ts';
import { masterOf } from './replication.ts';
import { seedUsers } from './schema.ts';
import {
  injectionCsv,
  parseDone,
  parsePeriods,
  parseRtt,
  parseShortTrace,
  parseStat,
  percentile,
} from './sipp.ts';

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
  it('refuses options and words a verb does not take, with its usage line', () => {
    expect(() => parseArgs(['up', '--colour', '2'], '/r')).toThrow(
      /unknown option --colour; usage: npm run lab -- up .*--nodes N/,
    );
    expect(() => parseArgs(['status', '--nodes', '2'], '/r')).toThrow(/unknown option --nodes for status/);
    expect(() => parseArgs(['down', 'd1'], '/r')).toThrow(/unexpected d1 for down/);
    expect(() => parseArgs(['kill', 'd1', 'd2'], '/r')).toThrow(/unexpected d2/);
    expect(() => parseArgs(['up', '--fresh=yes'], '/r')).toThrow(/takes no value/);
    expect(() => parseArgs(['--nodez', '3'], '/r')).toThrow(
      /unknown option --nodez; usage: npm run lab -- \[--nodes N\]/,
    );
    expect(parseArgs(['--dev'], '/r')).toMatchObject({ verb: 'setup', flags: { dev: true } });
    expect(parseArgs(['up', '--nodes', '3', '--detach'], '/r').flags).toEqual({ nodes: '3', detach: true });
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
    expect(cfg).not.toMatch(/^#!define WITH_FIRST_STAGE/m);
  });
  it('tells a SIP server behind a first stage where to send the callee leg of a call', () => {
    const cfg = renderConfig({
      name: 'p3',
      node: 'd3',
      serverId: 3,
      sipPort: 45070,
      rpcPort: 45071,
      domain: 'lab.sipha.test',
      dbUrl: 'mysql://kamailio:pw@127.0.0.1:40003/kamailio',
      firstStage: { host: '127.0.0.1', port: 45080 },
    });
    expect(cfg).toMatch(/^#!define WITH_FIRST_STAGE$/m);
    expect(cfg).toContain('#!define FIRST_STAGE_PORT 45080');
    expect(cfg).toContain('#!define FIRST_STAGE_URI "sip:127.0.0.1:45080"');
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
    expect(digestHashes({ username: 'alice', domain: 'example.com', password: 'pw' })).toEqual({
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
  it('places per-call start times and per-second call counts on the wall clock', () => {
    const stat =
      'StartTime;CurrentTime;OutgoingCall(P)\n' +
      '2026-11-29\t19:00:00.000\t1000.000;2026-11-29\t19:00:00.000\t1000.000;0\n' +
      '2026-11-29\t19:00:00.000\t1000.000;2026-11-29\t19:00:01.000\t1001.000;280\n';
    const t = parsePeriods(stat);
    expect(t.startMs).toBe(1_000_000);
    expect(t.periods).toEqual([
      { endMs: 1_000_000, created: 0 },
      { endMs: 1_001_000, created: 280 },
    ]);
    expect(parseDone('Date_ms;response_time_ms;rtd_no\n28;4;1\n', t.startMs)).toEqual([
      { startMs: 1_000_024, rttMs: 4 },
    ]);
  });
  it('reads every call and its replies from the short message trace', () => {
    const line = (t: string, dir: string, id: string, first: string, cseq = 'CSeq:1 REGISTER') =>
      ['2026-11-29', '19:00:00', t, dir, id, cseq, first].join('\t');
    const text = [
      line('1000.010', 'S', '2-1@h', 'REGISTER sip:d.test SIP/2.0'),
      line('1000.000', 'S', '1-1@h', 'REGISTER sip:d.test SIP/2.0'),
      line('1000.002', 'R', '1-1@h', 'SIP/2.0 401 Unauthorized'),
      line('1000.004', 'R', '1-1@h', 'SIP/2.0 200 OK'),
      line('1001.010', 'R', '2-1@h', 'SIP/2.0 477 Unfortunately error on sending to next hop occurred'),
      // sipp aborts the failed call with a BYE; the proxy's answer to that is not the call's.
      line('1001.011', 'S', '2-1@h', 'BYE sip:d.test SIP/2.0', 'CSeq:3 BYE'),
      line('1001.012', 'R', '2-1@h', 'SIP/2.0 404 Not here', 'CSeq:3 BYE'),
      // A cancelled INVITE: the CANCEL's 200 is the call's, but not its answer.
      line('1002.000', 'S', '3-1@h', 'INVITE sip:u@d.test SIP/2.0', 'CSeq:1 INVITE'),
      line('1002.001', 'R', '3-1@h', 'SIP/2.0 180 Ringing', 'CSeq:1 INVITE'),
      line('1002.002', 'R', '3-1@h', 'SIP/2.0 200 canceling', 'CSeq:1 CANCEL'),
      line('1002.003', 'R', '3-1@h', 'SIP/2.0 487 Request Terminated', 'CSeq:1 INVITE'),
      '',
    ].join('\n');
    expect(parseShortTrace(text)).toEqual([
      { id: '1-1@h', startMs: 1_000_000, codes: [401, 200], okMs: 1_000_004 },
      { id: '2-1@h', startMs: 1_000_010, codes: [477], okMs: null },
      { id: '3-1@h', startMs: 1_002_000, codes: [180, 200, 487], okMs: null },
    ]);
  });
  it('writes a caller injection line and refuses users whose password the lab does not know', () => {
    expect(callCsv(labUser('user1000'), 'user1001', 'd.test')).toBe(
      'SEQUENTIAL\nuser1000;[authentication username=user1000 password=secret1000];d.test;user1001\n',
    );
    expect(() => labUser('alice')).toThrow(/not one of the lab's users/);
  });
});

describe('galera node config', () => {
  it('gives each node its own ports and the whole cluster address, with SST by mariabackup', async () => {
    const { wsrepLines } = await import('./galera.ts');
    const lines = wsrepLines({
      name: 'd2',
      port: 41000,
      ports: { gcomm: 41001, ist: 41002, sst: 41003 },
      peers: ['127.0.0.1:40001', '127.0.0.1:41001', '127.0.0.1:42001'],
      sst: { user: 'sst', password: 'pw' },
    });
    expect(lines).toContain('wsrep_cluster_address=gcomm://127.0.0.1:40001,127.0.0.1:41001,127.0.0.1:42001');
    expect(lines).toContain('wsrep_sst_receive_address=127.0.0.1:41003');
    expect(lines).toContain('wsrep_sst_method=mariabackup');
    expect(lines).toContain('wsrep_retry_autocommit=4');
    const opts = lines.find((l) => l.startsWith('wsrep_provider_options='))!;
    expect(opts).toMatch(/gmcast\.listen_addr=tcp:\/\/127\.0\.0\.1:41001;ist\.recv_addr=127\.0\.0\.1:41002/);
  });
  it('takes --engine galera and --arbitrator', () => {
    const a = parseArgs(['up', '--engine', 'galera', '--arbitrator'], '/repo');
    expect(a.flags).toMatchObject({ engine: 'galera', arbitrator: true });
  });
  it('takes --no-bootstrap, which leaves the Galera nodes configured but formed into no cluster', () => {
    const a = parseArgs(['up', '--engine', 'galera', '--no-bootstrap'], '/repo');
    expect(a.flags).toMatchObject({ engine: 'galera', 'no-bootstrap': true });
    expect(() => parseArgs(['status', '--no-bootstrap'], '/repo')).toThrow(
      /unknown option --no-bootstrap for status/,
    );
  });
});

describe('db_cluster in the Kamailio config', () => {
  const state = {
    dir: '/l',
    domain: 'lab.sipha.test',
    fresh: false,
    nodes: [
      { name: 'd1', host: '127.0.0.1', port: 40001, socket: '', pid: 0, serverId: 1, datadir: '' },
      { name: 'd2', host: '127.0.0.1', port: 40002, socket: '', pid: 0, serverId: 2, datadir: '' },
    ],
    sip: [],
    console: null,
    db: {
      sipha: { user: 's', password: 'x' },
      kamailio: { user: 'k', password: 'pw' },
      repl: { user: 'r', password: 'y' },
    },
    configPath: '/l/c.json',
  };
  it('gives p2 its own node first when co-located, d1 first when single-writer', () => {
    const co = sipDb(state, 'd2', 'co-located');
    expect(co.url).toBe('cluster://sipha');
    expect(co.block).toContain('modparam("db_cluster", "cluster", "sipha=>d2=9s9s;d1=8s8s")');
    expect(co.block).toContain(
      'modparam("db_cluster", "connection", "d1=>mysql://k:pw@127.0.0.1:40001/kamailio")',
    );
    expect(sipDb(state, 'd2', 'single-writer').block).toContain('"sipha=>d1=9s9s;d2=8s8s"');
    const cfg = renderConfig({
      name: 'p2',
      node: 'd2',
      serverId: 2,
      sipPort: 45060,
      rpcPort: 45061,
      domain: 'lab.sipha.test',
      dbUrl: co.url,
      dbCluster: co.block,
      dbTimeout: co.timeout,
    });
    expect(cfg).toContain('modparam("usrloc", "db_url", "cluster://sipha")');
    expect(cfg).toContain('loadmodule "db_cluster.so"');
  });
  it('keeps one db_url without db_cluster for the baseline', () => {
    const one = sipDb(state, 'd1', 'single-url');
    expect(one.url).toBe('mysql://k:pw@127.0.0.1:40001/kamailio');
    expect(one.block).not.toContain('loadmodule');
  });
});

describe('strays', () => {
  it("finds a process started from a lab's folder that the state does not know, and only those", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strays-'));
    const other = mkdtempSync(join(tmpdir(), 'strays-other-'));
    // The path rides in the command line as a Galera node's --defaults-file does.
    const a = spawn('sh', ['-c', `sleep 30 # ${join(dir, 'd1', 'my.cnf')}`]);
    const b = spawn('sh', ['-c', `sleep 30 # ${join(other, 'd1', 'my.cnf')}`]);
    try {
      await until('the shells to start', () => strays(dir).includes(a.pid!));
      expect(strays(`${dir}/`)).toContain(a.pid);
      expect(strays(dir)).not.toContain(b.pid);
      expect(strays(other)).toContain(b.pid);
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});
