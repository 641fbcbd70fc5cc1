// npm run bench -- galera
// The same work on a Galera cluster of three (sipha column) and on the replicated pair
// (baseline column), alternating: the writer SIGKILLed under 4 console writers and 280
// REGISTER/s, the REGISTER rate one SIP server sustains at <= 1 % failures, and a full outage
// recovered by the console's own operation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, type LabState, signal, start, up } from '../lab/index.ts';
import { openList } from '../test/helpers/console-list.ts';
import { openGaleraList, waitFor, wsrep } from '../test/helpers/galera.ts';
import { consoleWriters, createBenchTable, lostAcked, registers } from './lib/galera-load.ts';
import { report, row } from './lib/report.ts';

export const description =
  'Galera cluster of 3 vs the replicated pair: writer kill, REGISTER capacity, full outage';

const RUNS = Number(process.env.RUNS ?? 5);
const OUTAGE_RUNS = Number(process.env.OUTAGE_RUNS ?? 3);
const RATES = [100, 140, 180, 220, 280, 350];
const PAIR = 'replicated pair (sipha connection list, semi-sync)';

async function lab(engine: 'galera' | 'pair'): Promise<LabState> {
  const dir = mkdtempSync(join(tmpdir(), engine === 'galera' ? 'bga-' : 'bpa-'));
  return up({ dir, engine, nodes: engine === 'galera' ? 3 : 2, sip: true });
}

async function stopLab(state: LabState) {
  await down(state.dir).catch(() => undefined);
  rmSync(state.dir, { recursive: true, force: true });
}

async function writerKill(state: LabState, engine: 'galera' | 'pair', run: number) {
  await createBenchTable(state.dir);
  const list =
    engine === 'galera' ? await openGaleraList(state.configPath) : await openList(state.configPath);
  const t0 = performance.now();
  const w = consoleWriters(list, `${engine}${run}`, t0);
  const sip = registers(state, 'p2', 280, 12);
  await new Promise((r) => setTimeout(r, 3000));
  await signal(state.dir, 'd1', 'kill');
  const killAt = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 7000));
  await w.stop();
  const regs = await sip;
  const before = w.acked.filter((a) => a.end <= killAt).map((a) => a.end);
  const after = w.acked.filter((a) => a.end > killAt).map((a) => a.end);
  const unavailable = (after.length ? Math.min(...after) : 10_000 + killAt) - Math.max(...before);
  const lost = await lostAcked(state.dir, 'd2', w.acked);
  await list.close();
  return {
    unavailable,
    lost,
    failedRegisters: regs.failed + (regs.sent - regs.ok - regs.failed),
    failedWrites: w.failed(),
  };
}

async function capacity(state: LabState, rate: number): Promise<number> {
  const r = await registers(state, 'p1', rate, 8);
  return r.sent ? (100 * (r.sent - r.ok)) / r.sent : 100;
}

async function fullOutage(state: LabState): Promise<number> {
  process.env.SIPHA_CONFIG = state.configPath;
  const { getConnectionList } = await import('../lib/db/index.ts');
  const { startJob, jobDone } = await import('../lib/galera/job.ts');
  const { recoverFullOutage } = await import('../lib/galera/operations.ts');
  const list = await getConnectionList();
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
  const galera = await lab('galera');
  try {
    for (let i = 0; i < RUNS; i++) {
      const rg = await writerKill(galera, 'galera', i);
      g.unavailable.push(rg.unavailable);
      g.lost.push(rg.lost);
      g.regs.push(rg.failedRegisters);
      console.log(`writer_kill ${i + 1} galera: ${JSON.stringify(rg)}`);
      await start(galera.dir, 'd1');
      await waitFor(
        'd1 Synced',
        async () => (await wsrep(galera.dir, 'd1')).wsrep_local_state_comment === 'Synced',
        180_000,
      );
      const pair = await lab('pair');
      try {
        const rp = await writerKill(pair, 'pair', i);
        p.unavailable.push(rp.unavailable);
        p.lost.push(rp.lost);
        p.regs.push(rp.failedRegisters);
        console.log(`writer_kill ${i + 1} pair:   ${JSON.stringify(rp)}`);
      } finally {
        await stopLab(pair);
      }
    }
    const pair = await lab('pair');
    let capG = 0;
    let capP = 0;
    try {
      for (const rate of RATES) {
        const fg = await capacity(galera, rate);
        const fp = await capacity(pair, rate);
        console.log(
          `register_capacity ${rate}/s: galera ${fg.toFixed(2)} % failed, pair ${fp.toFixed(2)} % failed`,
        );
        if (fp <= 1) capP = Math.max(capP, rate);
        if (fg <= 1) capG = Math.max(capG, rate);
      }
    } finally {
      await stopLab(pair);
    }
    const outage: number[] = [];
    for (let i = 0; i < OUTAGE_RUNS; i++) {
      outage.push(await fullOutage(galera));
      console.log(`full_outage ${i + 1}: ${outage.at(-1)!.toFixed(1)} s to a Primary cluster taking writes`);
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
        target: '>= 280 (paper load); ratio reported',
      }),
      row({
        case: 'full_outage',
        metric: 'recovery_seconds',
        unit: 's',
        sipha: outage,
        target: 'report (console-driven)',
      }),
    ]);
  } finally {
    await stopLab(galera);
  }
}
