// npm run bench -- galera
// The same work on a Galera cluster of three (sipha column) and on the replicated pair
// (baseline column), alternating: the writer SIGKILLed under 4 console writers and 280
// REGISTER/s, the REGISTER rate one SIP server sustains at <= 1 % failures, and a full outage
// recovered by the console's own operation.
//
// Both engines are measured the same way: a console's connection list built from the lab's
// config (whose `galera` section turns on Galera mode), the same timeouts, the same writers; a REGISTER counts as failed as in sip_failover (sent after the fault, no 200).
// Each lab runs alone while it is measured, so one engine's background work is not charged to
// the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, type LabState, signal, up } from '../lab/index.ts';
import { closeConnectionList, getConnectionList } from '../lib/db/index.ts';
import { openList } from '../test/helpers/console-list.ts';
import { waitFor } from '../test/helpers/galera.ts';
import { consoleWriters, createBenchTable, lostAcked, registers } from './lib/galera-load.ts';
import { failedAfter, recoveryMs } from './lib/register-recovery.ts';
import { report, row } from './lib/report.ts';

export const description =
  'Galera cluster of 3 vs the replicated pair: writer kill, REGISTER capacity, full outage';

const RUNS = Number(process.env.RUNS ?? 5);
const OUTAGE_RUNS = Number(process.env.OUTAGE_RUNS ?? 3);
const RATES = [50, 100, 140, 180, 220, 280, 350, 420, 500, 600, 700, 850, 1000, 1200];
const PAIR = 'replicated pair (sipha connection list, semi-sync)';
const BEFORE_MS = 4000;
const WINDOW_MS = 10_000;
/** The issue's load: 280 REGISTER/s, spread over the site that loses its node and the other. */
const SITE_RATES = { p1: 140, p2: 140 } as const;

type Engine = 'galera' | 'pair';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lab(engine: Engine): Promise<LabState> {
  const dir = mkdtempSync(join(tmpdir(), engine === 'galera' ? 'bga-' : 'bpa-'));
  return up({ dir, engine, nodes: engine === 'galera' ? 3 : 2, sip: true });
}

async function stopLab(state: LabState) {
  await down(state.dir).catch(() => undefined);
  rmSync(state.dir, { recursive: true, force: true });
}

/** Each engine on a fresh lab: the pair's d1 stays fenced after a kill, Galera's d1 rejoins. */
export async function writerKill(engine: Engine, run: number) {
  const state = await lab(engine);
  try {
    await createBenchTable(state.dir);
    const list = await openList(state.configPath);
    // The console's audit log belongs to one configuration per process; this one has several.
    if (list.galera) list.galera.audit = async () => undefined;
    await waitFor('d1 takes writes', async () => list.active()?.handle.name === 'd1', 30_000);
    const t0 = performance.now();
    const w = consoleWriters(list, `${engine}${run}`, t0);
    const seconds = (BEFORE_MS + WINDOW_MS) / 1000;
    const loads = Object.entries(SITE_RATES).map(([site, rate]) => registers(state, site, rate, seconds));
    await sleep(BEFORE_MS);
    const faultAt = Date.now();
    const killAt = performance.now() - t0;
    await signal(state.dir, 'd1', 'kill');
    await sleep(7000);
    await w.stop();
    const regs = await Promise.all(loads);
    // The longest time without an acknowledged write around the kill, from the last one
    // acknowledged before it to the first one after.
    const before = w.acked.filter((a) => a.end <= killAt).map((a) => a.end);
    const after = w.acked.filter((a) => a.end > killAt).map((a) => a.end);
    const unavailable = (after.length ? Math.min(...after) : 10_000 + killAt) - Math.max(...before);
    const survivor = engine === 'galera' ? 'd3' : 'd2';
    const lost = await lostAcked(state.dir, survivor, w.acked);
    // Where the time went (printed per run, not reported): the gap before the kill is the
    // writers' own rhythm (each writes every 200 ms), the rest is the failover's.
    const ev = list.galera?.evictions.last;
    const views = ev?.survivors.flatMap((s) => (s.viewAt === null ? [] : [s.viewAt])) ?? [];
    const breakdown = {
      lastAckBeforeKillMs: Math.round(killAt - Math.max(...before)),
      firstAckAfterKillMs: after.length ? Math.round(Math.min(...after) - killAt) : null,
      ...(ev
        ? {
            refusalSeenMs: ev.refusedAt - faultAt,
            viewWithoutWriterMs: views.length ? Math.min(...views) - faultAt : null,
            told: ev.survivors.filter((s) => s.told).map((s) => s.name),
          }
        : {}),
    };
    await list.close();
    const perSite = Object.fromEntries(
      Object.keys(SITE_RATES).map((site, i) => [
        site,
        {
          failed: failedAfter(regs[i]!, faultAt, WINDOW_MS),
          recoveryMs: recoveryMs(regs[i]!, faultAt, WINDOW_MS),
          // sipp's own totals for the whole run: tells a real failure from a timing artefact
          // of the window above.
          sipp: { sent: regs[i]!.sent, ok: regs[i]!.ok, failed: regs[i]!.failed },
        },
      ]),
    );
    return {
      unavailable,
      lost,
      failedRegisters: Object.values(perSite).reduce((n, s) => n + s.failed, 0),
      failedWrites: w.failed(),
      perSite,
      breakdown,
    };
  } finally {
    await stopLab(state);
  }
}

/** Percent of REGISTERs without a 200, 8 s at `rate` through p1. */
async function failures(state: LabState, rate: number): Promise<number> {
  const r = await registers(state, 'p1', rate, 8);
  return r.sent ? (100 * (r.sent - r.ok)) / r.sent : 100;
}

/**
 * The highest rate of the ladder at <= 1 % failures: up from the lowest, each rate tried again
 * once when it fails (a busy machine can spoil one short run), stopping at the first rate that
 * fails twice.
 */
export async function capacity(engine: Engine): Promise<number> {
  const state = await lab(engine);
  try {
    let best = 0;
    for (const rate of RATES) {
      const first = await failures(state, rate);
      const pct = first <= 1 ? first : await failures(state, rate);
      console.log(
        `register_capacity ${engine} ${rate}/s: ${first.toFixed(2)} % failed${pct === first ? '' : `, again ${pct.toFixed(2)} %`}`,
      );
      if (pct > 1) break;
      best = rate;
    }
    return best;
  } finally {
    await stopLab(state);
  }
}

/** All three nodes SIGKILLed; the console's own recovery job until the cluster takes a write. */
export async function fullOutage(state: LabState): Promise<number> {
  process.env.SIPHA_CONFIG = state.configPath;
  const { startJob, jobDone } = await import('../lib/galera/job.ts');
  const { recoverFullOutage } = await import('../lib/galera/operations.ts');
  const list = await getConnectionList();
  await waitFor('a writer', async () => list.active() !== undefined, 60_000);
  for (const n of ['d1', 'd2', 'd3']) await signal(state.dir, n, 'kill');
  const t0 = performance.now();
  await waitFor('no writer', async () => list.active() === undefined, 10_000);
  startJob('recover', 'bench', recoverFullOutage);
  await waitFor(
    'a write accepted',
    async () => {
      if (!list.active()) return false;
      await list.write({ run: (db) => db.selectFrom('subscriber').select('id').limit(1).execute() });
      return true;
    },
    600_000,
  );
  const seconds = (performance.now() - t0) / 1000;
  const job = await jobDone(600_000);
  if (job.outcome !== 'ok') throw new Error(`recovery failed: ${job.steps.at(-1)?.text}`);
  return seconds;
}

export async function run(): Promise<void> {
  const g = { unavailable: [] as number[], lost: [] as number[], regs: [] as number[] };
  const p = { unavailable: [] as number[], lost: [] as number[], regs: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    for (const [engine, into] of [
      ['galera', g],
      ['pair', p],
    ] as const) {
      const r = await writerKill(engine, i);
      into.unavailable.push(r.unavailable);
      into.lost.push(r.lost);
      into.regs.push(r.failedRegisters);
      console.log(`writer_kill ${i + 1} ${engine}: ${JSON.stringify(r)}`);
    }
  }
  const capG = await capacity('galera');
  const capP = await capacity('pair');
  console.log(`register_capacity: galera ${capG}/s, pair ${capP}/s`);
  const outage: number[] = [];
  let outageFailed = 0;
  // One lab: the console's configuration is read once per process.
  const galera = await lab('galera');
  try {
    for (let i = 0; i < OUTAGE_RUNS; i++) {
      try {
        outage.push(await fullOutage(galera));
        console.log(
          `full_outage ${i + 1}: ${outage.at(-1)!.toFixed(1)} s to a Primary cluster taking writes`,
        );
      } catch (e) {
        // A cluster the recovery left half-joined is no starting point for another run.
        outageFailed++;
        console.log(`full_outage ${i + 1}: ${(e as Error).message.slice(0, 400)}`);
        break;
      }
    }
  } finally {
    await closeConnectionList();
    await stopLab(galera);
  }
  report('galera', [
    row({
      case: 'writer_kill',
      metric: 'write_unavailable_ms',
      unit: 'ms',
      sipha: g.unavailable,
      baseline: p.unavailable,
      baselineName: PAIR,
      target: '<= 250',
    }),
    row({
      case: 'writer_kill',
      metric: 'lost_acked_writes',
      unit: 'writes',
      sipha: g.lost,
      baseline: p.lost,
      baselineName: PAIR,
      target: '= 0',
    }),
    row({
      case: 'writer_kill',
      metric: 'failed_registers',
      unit: 'REGISTERs',
      sipha: g.regs,
      baseline: p.regs,
      baselineName: PAIR,
      target: 'report',
    }),
    row({
      case: 'register_capacity',
      metric: 'max_register_rate',
      unit: 'REGISTER/s',
      sipha: [capG],
      baseline: [capP],
      baselineName: PAIR,
      target: `>= 280 (paper load); galera/pair ${capP ? (capG / capP).toFixed(2) : 'n/a'}`,
    }),
    row({
      case: 'full_outage',
      metric: 'recovery_seconds',
      unit: 's',
      sipha: outage,
      target: 'report (console-driven)',
    }),
    row({
      case: 'full_outage',
      metric: 'failed_recoveries',
      unit: 'runs',
      sipha: [outageFailed],
      target: '= 0',
    }),
  ]);
}
