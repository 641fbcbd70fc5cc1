// npm run bench -- failover
// A writer issues one write every 10 ms; d1 is SIGKILLed or SIGSTOPped. sipha's connection list
// against plain mysql2 with its defaults trying d1 then d2 for each request, alternating, each
// on a fresh lab.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { adminQuery, down, signal, up } from '../lab/index.ts';
import { openList } from '../test/helpers/console-list.ts';
import { type Attempt, baselineWriter, type Writer } from './lib/failover-baseline.ts';
import { report, row } from './lib/report.ts';

export const description =
  'write unavailability when d1 is SIGKILLed / SIGSTOPped (sipha vs mysql2 d1-then-d2)';

const RUNS = Number(process.env.RUNS ?? 5);
const CAP_MS = 15_000;

async function siphaWriter(configPath: string): Promise<Writer> {
  const list = await openList(configPath);
  return {
    write: (k) =>
      list
        .write({
          run: (db) => sql`INSERT INTO bench_failover (k) VALUES (${k})`.execute(db).then(() => k),
          verify: async (db) => {
            const r = await sql<{
              n: number;
            }>`SELECT COUNT(*) AS n FROM bench_failover WHERE k = ${k}`.execute(db);
            return Number(r.rows[0]?.n) > 0 ? k : undefined;
          },
        })
        .then((r) => r.node),
    close: () => list.close(),
  };
}

async function oneRun(kind: 'sipha' | 'baseline', fault: 'sigkill' | 'sigstop') {
  const dir = mkdtempSync(join(tmpdir(), 'bfo-'));
  try {
    const state = await up({ dir, nodes: 2, sip: false });
    await adminQuery(
      dir,
      'd1',
      'CREATE TABLE kamailio.bench_failover (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL, KEY (k))',
    );
    await new Promise((r) => setTimeout(r, 300)); // let the table replicate
    const writer = kind === 'sipha' ? await siphaWriter(state.configPath) : await baselineWriter(state);
    const attempts: Attempt[] = [];
    const pending = new Set<Promise<void>>();
    let seq = 0;
    const t0 = performance.now();
    let faultAt = Number.POSITIVE_INFINITY;
    const tick = setInterval(() => {
      const a: Attempt = { k: `${kind}-${seq++}`, start: performance.now() - t0, end: null, node: null };
      attempts.push(a);
      const p = writer
        .write(a.k)
        .then((node) => {
          a.node = node;
        })
        .catch(() => undefined)
        .finally(() => {
          a.end = performance.now() - t0;
          pending.delete(p);
        });
      pending.add(p);
    }, 10);
    await new Promise((r) => setTimeout(r, 1500));
    await signal(dir, 'd1', fault === 'sigkill' ? 'kill' : 'stop');
    faultAt = performance.now() - t0;
    // Run until writes have flowed again for 2 s, or the cap.
    while (performance.now() - t0 < faultAt + CAP_MS) {
      const okAfter = attempts.filter((a) => a.node && a.end !== null && a.end > faultAt);
      if (okAfter.length && performance.now() - t0 > Math.min(...okAfter.map((a) => a.end!)) + 2000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    clearInterval(tick);
    if (fault === 'sigstop') await signal(dir, 'd1', 'cont');
    await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 3000))]);
    await writer.close().catch(() => undefined);
    const before = attempts.filter((a) => a.node && a.end !== null && a.end <= faultAt);
    const after = attempts.filter((a) => a.node && a.end !== null && a.end > faultAt);
    const lastBefore = Math.max(...before.map((a) => a.end!));
    const firstAfter = after.length ? Math.min(...after.map((a) => a.end!)) : faultAt + CAP_MS;
    const detected = firstAfter;
    const laterRequests = attempts.filter(
      (a) => a.start >= detected && a.end !== null && a.start < detected + 1500,
    );
    const maxAfter = laterRequests.length ? Math.max(...laterRequests.map((a) => a.end! - a.start)) : CAP_MS;
    return { unavailable: firstAfter - lastBefore, maxAfter };
  } finally {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const rows = [];
  for (const fault of ['sigkill', 'sigstop'] as const) {
    const s = { unavailable: [] as number[], maxAfter: [] as number[] };
    const b = { unavailable: [] as number[], maxAfter: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      for (const kind of ['sipha', 'baseline'] as const) {
        const r = await oneRun(kind, fault);
        const into = kind === 'sipha' ? s : b;
        into.unavailable.push(r.unavailable);
        into.maxAfter.push(r.maxAfter);
        console.log(
          `${fault} run ${i + 1} ${kind}: unavailable ${r.unavailable.toFixed(0)} ms, max request after detection ${r.maxAfter.toFixed(0)} ms`,
        );
      }
    }
    const baselineName = 'mysql2 defaults, try D1 then D2 per request';
    rows.push(
      row({
        case: fault,
        metric: 'write_unavailable_ms',
        unit: 'ms',
        sipha: s.unavailable,
        baseline: b.unavailable,
        baselineName,
        target: fault === 'sigkill' ? '<= 250' : '<= 1500',
      }),
    );
    rows.push(
      row({
        case: fault,
        metric: 'max_request_ms_after_detection',
        unit: 'ms',
        sipha: s.maxAfter,
        baseline: b.maxAfter,
        baselineName,
        target: '<= 100',
      }),
    );
  }
  report('failover', rows);
}
