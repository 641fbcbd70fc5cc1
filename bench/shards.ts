// npm run bench -- shards
// Two clusters (pairs d1/d2 + p1/p2, d3/d4 + p3/p4) behind the first stage f1, 10,000 users.
//   through_first_stage  REGISTER load through f1 against the same load sent to each owning
//                        cluster directly, alternating: failed_registers, added_latency_ms (p50)
//   db_writes            row writes on d1 for the same REGISTER load with two shards against one
//                        pair holding everyone (the same lab, map switched): writes_per_db_ratio
//   move_5000            5,000 users moved online during REGISTER load through f1:
//                        failed_registers, move_seconds, preview_error
// Env: USERS (10000), RATE (280), DURATION (60 s), RUNS (5).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, down, type LabState, up } from '../lab/index.ts';
import { seedUsers } from '../lab/schema.ts';
import { percentile, runSipp } from '../lab/sipp.ts';
import { ownerByRange, type ShardRange } from '../lib/shards/placement.ts';
import { digestHashes } from '../lib/users/hash.ts';
import { report, row } from './lib/report.ts';

export const description =
  'two clusters behind a first stage: added latency, writes per database, online move of 5,000 users';

const USERS = Number(process.env.USERS ?? 10_000);
const RATE = Number(process.env.RATE ?? 280);
const DURATION = Number(process.env.DURATION ?? 60);
const RUNS = Number(process.env.RUNS ?? 5);

// Shuffled (by a hash of the name) so that any load, which uses the first users of the list,
// spreads over both shards and over the users a move takes.
const users = seedUsers(USERS)
  .map((u) => ({ u, k: createHash('md5').update(u.username).digest('hex') }))
  .sort((a, b) => (a.k < b.k ? -1 : 1))
  .map((x) => x.u);
const sorted = users.map((u) => u.username).sort();
const SPLIT: ShardRange[] = [
  { from: '', cluster: 'c1' },
  { from: sorted[Math.floor(USERS / 2)]!, cluster: 'c2' },
];
const ALL_C1: ShardRange[] = [{ from: '', cluster: 'c1' }];

async function insertUsers(dir: string, node: string, domain: string, list: typeof users) {
  for (let i = 0; i < list.length; i += 2000) {
    const rows = list.slice(i, i + 2000).map((u) => {
      const h = digestHashes({ username: u.username, domain, password: u.password });
      return [u.username, domain, '', h.ha1, h.ha1b];
    });
    await adminQuery(
      dir,
      node,
      'INSERT IGNORE INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ?',
      [rows],
    );
  }
}

async function rowWrites(dir: string): Promise<number> {
  const rows = await adminQuery<{ Variable_name: string; Value: string }>(
    dir,
    'd1',
    // Row writes through the storage engine, replicated ones included (MariaDB has no Innodb_rows_*).
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Handler_write', 'Handler_update', 'Handler_delete')",
  );
  return rows.reduce((n, r) => n + Number(r.Value), 0);
}

/** REGISTERs through f1 for the (shuffled) users, as `lab load --site f1` sends them. */
async function viaFirstStage(state: LabState, rate: number, seconds: number) {
  const r = await runSipp({
    sip: { ...state.firstStage!, node: '', serverId: 0 },
    users,
    domain: state.domain,
    transport: 'udp',
    rate,
    calls: Math.round(rate * seconds),
    expires: 3600,
    workDir: state.dir,
    timeoutSec: seconds + 30,
  });
  return {
    failed: r.failed,
    p50: percentile(
      [...r.rtts].sort((a, b) => a - b),
      50,
    ),
  };
}

/** The same users straight to their owning cluster's first SIP server, two sipp at once. */
async function direct(state: LabState, ranges: ShardRange[], rate: number, seconds: number) {
  const parts = state.clusters!.map((c) => ({
    sip: state.sip.find((s) => s.name === c.sip[0])!,
    users: users.filter((u) => ownerByRange(ranges, u.username) === c.name),
  }));
  const results = await Promise.all(
    parts.map((p) =>
      runSipp({
        sip: p.sip,
        users: p.users,
        domain: state.domain,
        transport: 'udp',
        rate: (rate * p.users.length) / USERS,
        calls: Math.round((rate * seconds * p.users.length) / USERS),
        expires: 3600,
        workDir: state.dir,
        timeoutSec: seconds + 30,
      }),
    ),
  );
  const rtts = results.flatMap((r) => r.rtts).sort((a, b) => a - b);
  return { failed: results.reduce((n, r) => n + r.failed, 0), p50: percentile(rtts, 50) };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-shards-'));
  const stop = () => down(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const state = await up({ dir, clusters: 2, console: false, log: (l) => console.log(l) });
    process.env.SIPHA_CONFIG = state.configPath;
    const map = await import('../lib/shards/map.ts');
    const moves = await import('../lib/shards/move.ts');
    const setMap = async (ranges: ShardRange[]) => {
      await map.changeMap({ ranges, reason: 'bench', actor: 'bench' });
      await map.reloadFirstStages();
    };
    // Every user on c1 (the single-pair baseline needs them there), c2's half on c2 too.
    await adminQuery(dir, 'd1', 'DELETE FROM kamailio.subscriber');
    await adminQuery(dir, 'd3', 'DELETE FROM kamailio.subscriber');
    await insertUsers(dir, 'd1', state.domain, users);
    await insertUsers(
      dir,
      'd3',
      state.domain,
      users.filter((u) => ownerByRange(SPLIT, u.username) === 'c2'),
    );
    await setMap(SPLIT);

    const fsFailed: number[] = [];
    const added: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const via = await viaFirstStage(state, RATE, DURATION);
      const d = await direct(state, SPLIT, RATE, DURATION);
      fsFailed.push(via.failed);
      added.push(via.p50 - d.p50);
      console.log(
        `run ${i + 1}: first stage p50 ${via.p50} ms failed ${via.failed}; direct p50 ${d.p50} ms failed ${d.failed}`,
      );
      // db_writes: the same short load with two shards, then with c1 holding everyone.
      const w0 = await rowWrites(dir);
      await viaFirstStage(state, RATE, 10);
      const sharded = (await rowWrites(dir)) - w0;
      await setMap(ALL_C1);
      const w1 = await rowWrites(dir);
      await viaFirstStage(state, RATE, 10);
      const single = (await rowWrites(dir)) - w1;
      await setMap(SPLIT);
      ratios.push(sharded / single);
      console.log(`run ${i + 1}: d1 row writes ${sharded} with two shards, ${single} with one pair`);
    }
    // c1 keeps only its own half before the moves.
    const c2Users = users.filter((u) => ownerByRange(SPLIT, u.username) === 'c2');
    for (let i = 0; i < c2Users.length; i += 2000)
      await adminQuery(dir, 'd1', 'DELETE FROM kamailio.subscriber WHERE username IN (?)', [
        c2Users.slice(i, i + 2000).map((u) => u.username),
      ]);

    const moveFailed: number[] = [];
    const moveSeconds: number[] = [];
    const previewError: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Odd runs move c2's half to c1, even runs move it back.
      const [to, source] = i % 2 === 0 ? [ALL_C1, 'd3'] : [SPLIT, 'd1'];
      const count = async () =>
        Number((await adminQuery(dir, source, 'SELECT COUNT(*) AS n FROM kamailio.subscriber'))[0].n);
      const before = await count();
      const loadRun = viaFirstStage(state, RATE, DURATION);
      await new Promise((r) => setTimeout(r, 5000));
      const t0 = performance.now();
      const move = await moves.startMove({ change: { ranges: to }, actor: 'bench' });
      await moves.runMove(move.moveId, 'bench');
      moveSeconds.push((performance.now() - t0) / 1000);
      const r = await loadRun;
      const moved = before - (await count());
      moveFailed.push(r.failed);
      previewError.push(move.plan.users - moved);
      console.log(
        `move ${i + 1}: ${moved} users in ${moveSeconds.at(-1)!.toFixed(1)} s, REGISTER failed ${r.failed}`,
      );
    }
    const { clusters, connectionListOf } = await import('../lib/clusters/registry.ts');
    for (const c of clusters()) await (await connectionListOf(c.name)).close();

    report('shards', [
      row({
        case: 'through_first_stage',
        metric: 'failed_registers',
        unit: 'count',
        sipha: fsFailed,
        target: '= 0',
      }),
      row({
        case: 'through_first_stage',
        metric: 'added_latency_ms',
        unit: 'ms',
        sipha: added,
        target: '<= 2',
      }),
      row({
        case: 'db_writes',
        metric: 'writes_per_db_ratio',
        unit: 'ratio',
        sipha: ratios,
        target: '<= 0.6',
      }),
      row({ case: 'move_5000', metric: 'failed_registers', unit: 'count', sipha: moveFailed, target: '= 0' }),
      row({ case: 'move_5000', metric: 'move_seconds', unit: 's', sipha: moveSeconds, target: 'report' }),
      row({ case: 'move_5000', metric: 'preview_error', unit: 'users', sipha: previewError, target: '= 0' }),
    ]);
  } finally {
    await stop();
  }
}
