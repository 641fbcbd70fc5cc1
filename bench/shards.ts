// npm run bench -- shards [--runs N] [--users N] [--rate R] [--duration S]
// Two clusters (pairs d1/d2 + p1/p2, d3/d4 + p3/p4) behind the first stage f1, 10,000 users.
//   through_first_stage  REGISTERs at RATE for DURATION s through f1, in 10 s slices alternating
//                        with the same users sent straight to their owning cluster's first SIP
//                        server (the machine carries the same load either way):
//                        failed_registers (through f1); added_latency_ms, the p50 of paired
//                        REGISTERs timed to the microsecond all along (each probe user once
//                        through f1, once straight to its cluster) through f1 minus direct
//   db_writes            row writes on d1 for the same REGISTER load with two shards against one
//                        pair holding everyone (the same lab, map switched): writes_per_db_ratio
//   move_5000            half the users moved online during REGISTERs at RATE and 10 calls/s
//                        through f1 (caller and callee among the users that move):
//                        failed_registers, failed_calls (not answered 200), move_seconds and
//                        preview_error (users the preview counted minus users really moved)
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { callCsv } from '../lab/calls.ts';
import { adminQuery, down, type LabState, up } from '../lab/index.ts';
import { startPhone } from '../lab/phone.ts';
import { freePort } from '../lab/ports.ts';
import { seedUsers } from '../lab/schema.ts';
import { CALL_SCENARIO, percentile, runSipp, type SippCall } from '../lab/sipp.ts';
import type { LabSip } from '../lab/state.ts';
import { ownerByRange, type ShardRange } from '../lib/shards/placement.ts';
import { digestHashes } from '../lib/users/hash.ts';
import { RegisterTimer, type RttTarget } from './lib/register-rtt.ts';
import { report, row } from './lib/report.ts';

export const usage = '[--runs N] [--users N] [--rate R] [--duration S]';
export const description =
  'two clusters behind a first stage: added latency, writes per database, online move of 5,000 users under calls';

const SLICE_SEC = 10;
const PROBE_MS = 100;
const CALL_RATE = 10;

type User = { username: string; password: string };

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: 'string', default: '5' },
      users: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '280' },
      duration: { type: 'string', default: '60' },
    },
  });
  const n = (name: keyof typeof values, min: number, max: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min || v > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return v;
  };
  return {
    runs: n('runs', 1, 50),
    users: n('users', 100, 100_000),
    rate: n('rate', 1, 2000),
    duration: n('duration', SLICE_SEC * 2, 3600),
  };
}

async function insertUsers(dir: string, node: string, domain: string, list: User[]) {
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

const f1 = (state: LabState): LabSip => ({ ...state.firstStage!, node: '', serverId: 0 });

/**
 * One sending port per destination, kept for the whole benchmark: every run registers a user
 * with the same contact at the same place, as a phone does (a new port per run gave each user
 * a new contact every run, twenty per user by the moves, and a move copied all of them).
 */
const sendPorts = new Map<string, Promise<number>>();

async function registers(
  state: LabState,
  sip: LabSip,
  users: User[],
  rate: number,
  seconds: number,
  trace = false,
) {
  if (!sendPorts.has(sip.name)) sendPorts.set(sip.name, freePort());
  const localPort = await sendPorts.get(sip.name)!;
  return runSipp({
    localPort,
    sip,
    users,
    domain: state.domain,
    transport: 'udp',
    rate,
    calls: Math.max(1, Math.round(rate * seconds)),
    expires: 3600,
    workDir: state.dir,
    timeoutSec: seconds + 30,
    trace,
  });
}

type Timeline = { phase: string; at: number }[];

/**
 * Where the failures fell: each REGISTER or call that got no 200, by the move's phase when it
 * started, with its last reply code (or "no answer").
 */
function failuresByPhase(calls: SippCall[] | undefined, timeline: Timeline): string {
  const by = new Map<string, Map<string, number>>();
  for (const c of calls ?? []) {
    if (c.okMs !== null) continue;
    const phase = [...timeline].reverse().find((t) => t.at <= c.startMs)?.phase ?? 'before';
    const code = String(c.codes.filter((x) => x >= 300).at(-1) ?? 'no answer');
    const m = by.get(phase) ?? by.set(phase, new Map()).get(phase)!;
    m.set(code, (m.get(code) ?? 0) + 1);
  }
  return (
    [...by].map(([p, m]) => `${p}: ${[...m].map(([c, n]) => `${c} ×${n}`).join(', ')}`).join('; ') || 'none'
  );
}

/** The same users straight to their owning cluster's first SIP server, one sipp per cluster. */
async function direct(state: LabState, users: User[], ranges: ShardRange[], rate: number, seconds: number) {
  const parts = state.clusters!.map((c) => ({
    sip: state.sip.find((s) => s.name === c.sip[0])!,
    users: users.filter((u) => ownerByRange(ranges, u.username) === c.name),
  }));
  const results = await Promise.all(
    parts.map((p) => registers(state, p.sip, p.users, (rate * p.users.length) / users.length, seconds)),
  );
  return { failed: results.reduce((n, r) => n + r.failed, 0), rtts: results.flatMap((r) => r.rtts) };
}

type Prober = { username: string; domain: string; ha1: string; direct: RttTarget };

/**
 * Paired REGISTERs for the probe users, one through f1 and one straight to the owning cluster's
 * first SIP server, in alternating order, every PROBE_MS until `stop`: both sides of each pair
 * meet the same load at the same moment.
 */
async function probePairs(state: LabState, probers: Prober[], stop: { done: boolean }) {
  const timer = await RegisterTimer.open();
  const via: number[] = [];
  const straight: number[] = [];
  let lost = 0;
  const fs = { host: state.firstStage!.host, port: state.firstStage!.udp };
  try {
    for (let i = 0; !stop.done; i++) {
      const p = probers[i % probers.length]!;
      const order = i % 2 ? ([fs, p.direct] as const) : ([p.direct, fs] as const);
      for (const to of order) {
        const ms = await timer.register(to, p);
        if (ms === null) lost++;
        else (to === fs ? via : straight).push(ms);
      }
      await new Promise((r) => setTimeout(r, PROBE_MS));
    }
  } finally {
    timer.close();
  }
  return { via, straight, lost };
}

/**
 * REGISTERs at `rate` through f1 and straight to the clusters in alternating slices of
 * SLICE_SEC, each side `seconds` in all, while probePairs times paired REGISTERs throughout:
 * failed_registers through f1, and the p50 of each side of the pairs.
 */
async function throughFirstStage(
  state: LabState,
  users: User[],
  probers: Prober[],
  ranges: ShardRange[],
  rate: number,
  seconds: number,
) {
  const stop = { done: false };
  const probes = probePairs(state, probers, stop);
  let failed = 0;
  let failedDirect = 0;
  const sipp: { via: number[]; straight: number[] } = { via: [], straight: [] };
  try {
    for (let t = 0; t < seconds; t += SLICE_SEC) {
      const s = Math.min(SLICE_SEC, seconds - t);
      const a = await registers(state, f1(state), users, rate, s);
      failed += a.failed;
      sipp.via.push(...a.rtts);
      const b = await direct(state, users, ranges, rate, s);
      failedDirect += b.failed;
      sipp.straight.push(...b.rtts);
    }
  } finally {
    stop.done = true;
  }
  const p = await probes;
  const p50 = (xs: number[]) =>
    percentile(
      [...xs].sort((x, y) => x - y),
      50,
    );
  return {
    failed,
    failedDirect,
    viaP50: p50(p.via),
    directP50: p50(p.straight),
    pairs: Math.min(p.via.length, p.straight.length),
    lost: p.lost,
    sippViaP50: p50(sipp.via),
    sippDirectP50: p50(sipp.straight),
  };
}

/** Calls at CALL_RATE through f1 from `caller` to `callee`, whose phone registered through f1. */
async function callLoad(state: LabState, caller: User, callee: User, seconds: number) {
  const count = CALL_RATE * seconds;
  const phone = await startPhone({
    sip: f1(state),
    user: callee,
    domain: state.domain,
    workDir: state.dir,
    stayMs: seconds * 1000 + 5000,
  });
  try {
    const r = await runSipp({
      sip: f1(state),
      users: [],
      domain: state.domain,
      transport: 'udp',
      rate: CALL_RATE,
      calls: count,
      expires: 0,
      workDir: state.dir,
      timeoutSec: seconds + 40,
      scenario: CALL_SCENARIO,
      inject: callCsv(caller, callee.username, state.domain),
      pauseMs: 500,
      trace: true,
    });
    // A call counts as failed unless the caller got a 200 to its INVITE (a call not even placed
    // too); one answered whose BYE then went unanswered is counted apart, as not ended cleanly.
    const answered = (r.calls ?? []).filter((c) => c.okMs !== null).length;
    return {
      attempted: count,
      answered,
      failed: count - answered,
      notEnded: answered - r.ok,
      atCallee: phone.answered(),
      calls: r.calls,
      unexpected: r.unexpected,
    };
  } finally {
    // The phone unregisters when its stay ends: the next run's phone is the callee's only contact.
    await Promise.race([phone.exited, new Promise((r) => setTimeout(r, 8000))]);
    await phone.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const o = options(args);
  // Shuffled (by a hash of the name) so that any load, which uses the first users of the list,
  // spreads over both shards and over the users a move takes.
  const users = seedUsers(o.users)
    .map((u) => ({ u, k: createHash('md5').update(u.username).digest('hex') }))
    .sort((a, b) => (a.k < b.k ? -1 : 1))
    .map((x) => x.u);
  const sorted = users.map((u) => u.username).sort();
  const SPLIT: ShardRange[] = [
    { from: '', cluster: 'c1' },
    { from: sorted[Math.floor(o.users / 2)]!, cluster: 'c2' },
  ];
  const ALL_C1: ShardRange[] = [{ from: '', cluster: 'c1' }];
  const c2Users = users.filter((u) => ownerByRange(SPLIT, u.username) === 'c2');
  // The caller and the callee are among the users every move takes; the REGISTER load leaves
  // them alone (a REGISTER for the callee would replace its phone's contact).
  const [caller, callee] = [c2Users[0]!, c2Users[1]!];
  // The probe users (paired REGISTERs, see probePairs): ten of each cluster, also kept out of the load.
  const probeUsers = [
    ...users.filter((u) => ownerByRange(SPLIT, u.username) === 'c1').slice(0, 10),
    ...c2Users.slice(2, 12),
  ];
  const loadUsers = users.filter((u) => u !== caller && u !== callee && !probeUsers.includes(u));

  const dir = mkdtempSync(join(tmpdir(), 'bench-shards-'));
  // KEEP_LAB=1: the lab stays up and its folder (sipp's traces, Kamailio's logs) stays, to look into.
  const stop = () =>
    process.env.KEEP_LAB
      ? Promise.resolve(console.log(`lab kept: ${dir} (npm run lab -- down --dir ${dir})`))
      : down(dir).finally(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const state = await up({ dir, clusters: 2, console: false, log: (l) => console.log(l) });
    process.env.SIPHA_CONFIG = state.configPath;
    const map = await import('../lib/shards/map.ts');
    const moves = await import('../lib/shards/move.ts');
    const setMap = async (ranges: ShardRange[]) => {
      await map.changeMap({ ranges, reason: 'bench', actor: 'bench' });
      const { failed } = await map.reloadFirstStages();
      if (failed.length) throw new Error(`${failed.join(', ')} did not reload the map`);
    };
    // Every user on c1 (the single-pair baseline needs them there), c2's half on c2 too.
    await adminQuery(dir, 'd1', 'DELETE FROM kamailio.subscriber');
    await adminQuery(dir, 'd3', 'DELETE FROM kamailio.subscriber');
    await insertUsers(dir, 'd1', state.domain, users);
    await insertUsers(dir, 'd3', state.domain, c2Users);
    await setMap(SPLIT);
    const probers: Prober[] = probeUsers.map((u) => {
      const c = state.clusters!.find((x) => x.name === ownerByRange(SPLIT, u.username))!;
      const sip = state.sip.find((x) => x.name === c.sip[0])!;
      return {
        username: u.username,
        domain: state.domain,
        ha1: digestHashes({ username: u.username, domain: state.domain, password: u.password }).ha1,
        direct: { host: sip.host, port: sip.udp },
      };
    });

    const fsFailed: number[] = [];
    const added: number[] = [];
    const [viaP50, directP50] = [[] as number[], [] as number[]];
    const ratios: number[] = [];
    const [shardedWrites, singleWrites] = [[] as number[], [] as number[]];
    for (let i = 0; i < o.runs; i++) {
      const t = await throughFirstStage(state, loadUsers, probers, SPLIT, o.rate, o.duration);
      fsFailed.push(t.failed);
      added.push(t.viaP50 - t.directP50);
      viaP50.push(t.viaP50);
      directP50.push(t.directP50);
      console.log(
        `run ${i + 1}: ${t.pairs} paired REGISTERs (${t.lost} lost): p50 ${t.viaP50.toFixed(2)} ms through f1, ${t.directP50.toFixed(2)} ms direct; ` +
          `load: ${t.failed} failed through f1, ${t.failedDirect} direct (sipp's own p50, 4 ms steps: ${t.sippViaP50} and ${t.sippDirectP50} ms)`,
      );
      // db_writes: the same short load with two shards, then with c1 holding everyone.
      const w0 = await rowWrites(dir);
      await registers(state, f1(state), loadUsers, o.rate, 10);
      const sharded = (await rowWrites(dir)) - w0;
      await setMap(ALL_C1);
      const w1 = await rowWrites(dir);
      await registers(state, f1(state), loadUsers, o.rate, 10);
      const single = (await rowWrites(dir)) - w1;
      await setMap(SPLIT);
      ratios.push(sharded / single);
      shardedWrites.push(sharded);
      singleWrites.push(single);
      console.log(`run ${i + 1}: d1 row writes ${sharded} with two shards, ${single} with one pair`);
    }
    // c1 keeps only its own half before the moves.
    for (let i = 0; i < c2Users.length; i += 2000)
      await adminQuery(dir, 'd1', 'DELETE FROM kamailio.subscriber WHERE username IN (?)', [
        c2Users.slice(i, i + 2000).map((u) => u.username),
      ]);

    const moveFailed: number[] = [];
    const callsFailed: number[] = [];
    const moveSeconds: number[] = [];
    const previewError: number[] = [];
    const interrupted: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      // Odd runs move c2's half to c1, even runs move it back.
      const [to, source] = i % 2 === 0 ? [ALL_C1, 'd3'] : [SPLIT, 'd1'];
      const count = async () =>
        Number((await adminQuery(dir, source, 'SELECT COUNT(*) AS n FROM kamailio.subscriber'))[0].n);
      const before = await count();
      const regs = registers(state, f1(state), loadUsers, o.rate, o.duration, true);
      const calls = callLoad(state, caller, callee, o.duration);
      await new Promise((r) => setTimeout(r, 5000));
      const t0 = performance.now();
      const move = await moves.startMove({ change: { ranges: to }, actor: 'bench' });
      // The phases as they go, to tell where any failure fell.
      const timeline: Timeline = [{ phase: 'start', at: Date.now() }];
      const { done } = await moves.launchMove(move.moveId, 'bench');
      let finished = false;
      const watching = (async () => {
        while (!finished) {
          const m = await moves.getMove(move.moveId);
          if (m && m.phase !== timeline.at(-1)!.phase) timeline.push({ phase: m.phase, at: Date.now() });
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      // A move that stops (a statement timed out on a loaded machine) is reported and resumed, as
      // an operator would from the page; the run counts it.
      const ended = await done.then(
        () => null,
        (e: unknown) => e,
      );
      if (ended) {
        interrupted.push(1);
        console.log(`move ${i + 1}: stopped (${(ended as Error).message}); resumed`);
        await moves.runMove(move.moveId, 'bench');
      } else interrupted.push(0);
      finished = true;
      await watching;
      timeline.push({ phase: 'after', at: Date.now() });
      moveSeconds.push((performance.now() - t0) / 1000);
      const [r, c] = await Promise.all([regs, calls]);
      const moved = before - (await count());
      moveFailed.push(r.failed);
      callsFailed.push(c.failed);
      previewError.push(move.plan.users - moved);
      console.log(
        `move ${i + 1}: ${moved} users (preview ${move.plan.users}, with ${move.plan.registrations} live registrations) in ${moveSeconds.at(-1)!.toFixed(1)} s; REGISTER ${r.sent} sent, ${r.failed} failed; calls ${c.attempted} placed, ${c.answered} answered (${c.atCallee} at the callee's phone), ${c.notEnded} answered but not ended cleanly`,
      );
      const t = timeline
        .map((x) => `${x.phase} +${((x.at - timeline[0]!.at) / 1000).toFixed(1)} s`)
        .join(', ');
      console.log(`move ${i + 1}: phases ${t}`);
      console.log(`move ${i + 1}: REGISTERs without 200 by phase: ${failuresByPhase(r.calls, timeline)}`);
      console.log(`move ${i + 1}: calls without 200 by phase: ${failuresByPhase(c.calls, timeline)}`);
      for (const [what, u] of [
        ['REGISTER', r.unexpected],
        ['call', c.unexpected],
      ] as const)
        if (u)
          console.log(
            `move ${i + 1}: first unexpected ${what} messages (sipp -trace_err):\n${u.slice(0, 4000)}`,
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
        case: 'through_first_stage',
        metric: 'register_p50_ms',
        unit: 'ms',
        sipha: viaP50,
        baseline: directP50,
        baselineName: 'straight to the owning cluster',
        target: 'report',
      }),
      row({
        case: 'db_writes',
        metric: 'row_writes_on_d1',
        unit: 'rows',
        sipha: shardedWrites,
        baseline: singleWrites,
        baselineName: 'one replicated pair holding everyone',
        target: 'report',
      }),
      row({
        case: 'db_writes',
        metric: 'writes_per_db_ratio',
        unit: 'ratio',
        sipha: ratios,
        target: '<= 0.6',
      }),
      row({ case: 'move_5000', metric: 'failed_registers', unit: 'count', sipha: moveFailed, target: '= 0' }),
      row({ case: 'move_5000', metric: 'failed_calls', unit: 'count', sipha: callsFailed, target: '= 0' }),
      row({ case: 'move_5000', metric: 'move_seconds', unit: 's', sipha: moveSeconds, target: 'report' }),
      row({
        case: 'move_5000',
        metric: 'stopped_and_resumed',
        unit: 'moves',
        sipha: interrupted,
        target: 'report',
      }),
      row({ case: 'move_5000', metric: 'preview_error', unit: 'users', sipha: previewError, target: '= 0' }),
    ]);
  } finally {
    await stop();
  }
}
