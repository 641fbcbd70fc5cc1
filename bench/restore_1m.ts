// npm run bench -- restore_1m
// The restore at the paper's scale: 1,000,000 `location` and 100,000 `subscriber` rows, sipp
// registering at p2 at 280/s throughout. sipha's verification outside the lock (a brief lock
// opens snapshots on both nodes at one GTID position, chunked checksums run while d2 takes
// writes, a second brief lock only checks positions) against today's procedure before issue 16
// (the same run with CHECKSUM TABLE inside the lock), alternating on one lab, RUNS times each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, load, up } from '../lab/index.ts';
import { runRestore } from '../lib/restore/run-restore.ts';
import type { RunView } from '../lib/restore/types.ts';
import { openList } from '../test/helpers/console-list.ts';
import { failD1 } from '../test/helpers/restore.ts';
import { fillLarge, settled } from '../test/helpers/restore-large.ts';
import { report, row } from './lib/report.ts';

export const description =
  'restore with 1,000,000 registrations under 280 REGISTER/s: verification outside the lock vs CHECKSUM TABLE inside it';

const RUNS = Number(process.env.RUNS ?? 5);
const LOCATIONS = Number(process.env.ROWS ?? 1_000_000);
const GAP_S = 4;
/** sipp runs this long per restore: the gap, the whole restore, and some time after it. */
const LOAD_S = Number(process.env.LOAD_S ?? 110);

const verifySeconds = (v: RunView) =>
  v.steps
    .filter((s) => s.id === 'snapshot' || s.id === 'verify_chunks' || s.id === 'verify')
    .reduce((a, s) => a + (s.ms ?? 0), 0) / 1000;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'br1m-'));
  process.once('SIGINT', () => void down(dir).finally(() => process.exit(130)));
  const cases = ['sipha', 'baseline'] as const;
  const samples = Object.fromEntries(
    cases.map((c) => [c, { lock: [] as number[], verify: [] as number[], failed: [] as number[] }]),
  ) as Record<(typeof cases)[number], { lock: number[]; verify: number[]; failed: number[] }>;
  try {
    const big = ['--innodb-buffer-pool-size=384M', '--innodb-flush-log-at-trx-commit=2'];
    const state = await up({ dir, nodes: 2, extraNodeArgs: { d1: ['--skip-slave-start', ...big], d2: big } });
    const t0 = performance.now();
    await fillLarge({ dir, locations: LOCATIONS, subscribers: 100_000 });
    await settled(dir, 'd1', 'd2', 1800);
    console.log(`  loaded ${LOCATIONS} registrations in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      for (let i = 0; i < RUNS * 2; i++) {
        const which = cases[i % 2]!;
        const sipp = load(dir, { site: 'p2', rate: 280, duration: LOAD_S });
        await new Promise((r) => setTimeout(r, 1000));
        const t1 = Date.now();
        await failD1({ dir, list, writes: 5, prefix: `m${i}-` });
        const wait = GAP_S * 1000 - (Date.now() - t1);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const v = await runRestore({
          list,
          kind: 'restore',
          procedure: 'sipha',
          checksumInLock: which === 'baseline',
          target: 'd1',
          actor: 'bench',
          runId: `bench1m-${i}`,
          leaseMs: 120_000,
        });
        const r = await sipp;
        if (v.status !== 'succeeded') throw new Error(`${which} run ${i}: ${v.status}: ${v.message}`);
        samples[which].lock.push(v.lockWindowMs ?? Number.NaN);
        samples[which].verify.push(verifySeconds(v));
        samples[which].failed.push(r.failed);
        console.log(
          `${which} #${Math.floor(i / 2) + 1}: lock ${v.lockWindowMs} ms (snapshot ${v.snapshot?.lockMs ?? '-'} ms), verify ${verifySeconds(v).toFixed(1)} s, REGISTER ${r.ok}/${r.sent} ok, ${r.failed} failed`,
        );
      }
    } finally {
      await list.close();
    }
  } finally {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  const baselineName = "today's procedure: CHECKSUM TABLE subscriber, location inside the lock";
  const common = { case: 'restore_1m', sipha: [], baselineName };
  report('restore_1m', [
    row({
      ...common,
      metric: 'lock_window_ms',
      unit: 'ms',
      sipha: samples.sipha.lock,
      baseline: samples.baseline.lock,
      target: '<= 50',
    }),
    row({
      ...common,
      metric: 'verify_seconds',
      unit: 's',
      sipha: samples.sipha.verify,
      baseline: samples.baseline.verify,
      target: 'reported',
    }),
    row({
      ...common,
      metric: 'failed_registers',
      unit: 'count',
      sipha: samples.sipha.failed,
      baseline: samples.baseline.failed,
      target: '= 0',
    }),
  ]);
}
