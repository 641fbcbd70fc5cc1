// npm run bench -- restore
// While sipp drives 280 REGISTER/s at p2, d1 is SIGKILLed, the console fails over to d2, the
// load builds a gap, d1 comes back (replication stopped: --skip-slave-start) and is restored.
// sipha's procedure (catch up while d2 takes writes, then a short lock) against the paper's
// (lock d2 first, then catch up and verify), alternating on one lab, RUNS times each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, load, up } from '../lab/index.ts';
import { runRestore } from '../lib/restore/run-restore.ts';
import type { RestoreProcedure } from '../lib/restore/types.ts';
import { openList } from '../test/helpers/console-list.ts';
import { failD1 } from '../test/helpers/restore.ts';
import { report, row } from './lib/report.ts';

export const description =
  'read-lock window and failed REGISTERs during a restore under 280 REGISTER/s (sipha vs paper)';

const RUNS = Number(process.env.RUNS ?? 5);
const GAP_S = 4;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'brs-'));
  // Ctrl-C: stop the lab this benchmark started before leaving.
  process.once('SIGINT', () => void down(dir).finally(() => process.exit(130)));
  const samples: Record<RestoreProcedure, { lock: number[]; failed: number[] }> = {
    sipha: { lock: [], failed: [] },
    paper: { lock: [], failed: [] },
  };
  try {
    const state = await up({ dir, nodes: 2, extraNodeArgs: { d1: ['--skip-slave-start'] } });
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      for (let i = 0; i < RUNS * 2; i++) {
        const procedure: RestoreProcedure = i % 2 === 0 ? 'sipha' : 'paper';
        const sipp = load(dir, { site: 'p2', rate: 280, duration: GAP_S + 10 });
        await new Promise((r) => setTimeout(r, 1000));
        const t0 = Date.now();
        await failD1({ dir, list, writes: 5, prefix: `b${i}-` });
        const wait = GAP_S * 1000 - (Date.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const v = await runRestore({
          list,
          kind: 'restore',
          procedure,
          target: 'd1',
          actor: 'bench',
          runId: `bench-${i}`,
        });
        const r = await sipp;
        if (v.status !== 'succeeded') throw new Error(`${procedure} run ${i}: ${v.status}: ${v.message}`);
        samples[procedure].lock.push(v.lockWindowMs ?? Number.NaN);
        samples[procedure].failed.push(r.failed);
        console.log(
          `${procedure} #${Math.floor(i / 2) + 1}: lock ${v.lockWindowMs} ms, behind at start ${v.gap?.initial}, REGISTER ${r.ok}/${r.sent} ok, ${r.failed} failed`,
        );
      }
    } finally {
      await list.close();
    }
  } finally {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  const baselineName = 'paper procedure (Appendix A): lock first, then catch up and verify';
  report('restore', [
    row({
      case: 'restore_under_load',
      metric: 'lock_window_ms',
      unit: 'ms',
      sipha: samples.sipha.lock,
      baseline: samples.paper.lock,
      baselineName,
      target: '<= 500',
    }),
    row({
      case: 'restore_under_load',
      metric: 'failed_registers',
      unit: 'count',
      sipha: samples.sipha.failed,
      baseline: samples.paper.failed,
      baselineName,
      target: '= 0 (both)',
    }),
  ]);
}
