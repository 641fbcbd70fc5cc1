// npm run bench -- chaos [--rounds N] [--seed S] [--fault F]
// (--fault: every round has that one fault, to reproduce it; the report is then not the benchmark's.)
// Real faults on a seeded schedule (SIGKILL, SIGSTOP 0.3–5 s, partitions console–d1, d1–d2 and
// d1–everyone, a starved machine, heavy writes on d1, a frozen console event loop) while 4
// console writers and 280 REGISTER/s run; after each round the history is checked. The
// baseline, sipha's single-probe detector from before, observes the same rounds.
import { parseArgs } from 'node:util';
import { runChaos } from './lib/chaos-run.ts';
import { FAULTS, type Fault } from './lib/chaos-schedule.ts';
import { type Row, report, row } from './lib/report.ts';

export const usage = '[--rounds N] [--seed S] [--fault F]';

export const description = 'failure detection under real faults and partitions (sipha vs single probe)';

const BASELINE = 'single 800 ms probe on the console event loop (sipha before issue 12)';

function total(name: string, rounds: number, sipha: number, baseline: number | null, target: string): Row {
  return {
    case: 'all',
    metric: name,
    unit: 'count',
    sipha,
    baseline,
    baseline_name: baseline === null ? null : BASELINE,
    runs: rounds,
    min: null,
    max: null,
    target,
  };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: 'string', default: '50' },
      seed: { type: 'string', default: '12' },
      fault: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const seed = Number(values.seed);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  const fault = values.fault as Fault | undefined;
  if (fault !== undefined && !FAULTS.includes(fault))
    throw new Error(`--fault must be one of ${FAULTS.join(', ')}`);
  const rs = await runChaos({ rounds, seed, fault });
  const sum = (f: (r: (typeof rs)[number]) => number) => rs.reduce((a, r) => a + f(r), 0);
  const rows: Row[] = [
    total('rounds', rs.length, rs.length, rs.length, '>= 50'),
    total(
      'lost_acked_writes',
      rs.length,
      sum((r) => r.lost),
      null,
      '= 0',
    ),
    total(
      'duplicated_acked_writes',
      rs.length,
      sum((r) => r.duplicated),
      null,
      '= 0',
    ),
    total(
      'writes_on_fenced',
      rs.length,
      sum((r) => r.writesOnFenced),
      null,
      '= 0',
    ),
    total(
      'unflagged_divergence',
      rs.length,
      sum((r) => r.unflaggedDivergence),
      null,
      '= 0',
    ),
    total(
      'flagged_divergence',
      rs.length,
      sum((r) => r.flaggedDivergence),
      null,
      'report',
    ),
    total(
      'false_failovers',
      rs.length,
      sum((r) => (r.falseFailover ? 1 : 0)),
      sum((r) => (r.baselineFalse ? 1 : 0)),
      '= 0',
    ),
    total(
      'missing_registrations',
      rs.length,
      sum((r) => r.missingRegistrations),
      null,
      '= 0',
    ),
    total(
      'failed_restores',
      rs.length,
      sum((r) => (r.restore === 'failed' ? 1 : 0)),
      null,
      '= 0',
    ),
    total(
      'restores_after_location_merge',
      rs.length,
      sum((r) => (r.restore === 'repaired' ? 1 : 0)),
      null,
      'reported',
    ),
  ];
  for (const [c, faults, target] of [
    ['sigstop', ['sigstop'], '<= 1000 (stretch <= 500)'],
    ['partition', ['partition-d1-all'], '<= 1500'],
  ] as const) {
    const mine = rs.filter((r) => (faults as readonly string[]).includes(r.fault));
    const s = mine.map((r) => r.detectionMs).filter((x): x is number => x !== null);
    const b = mine.map((r) => r.baselineDetectionMs).filter((x): x is number => x !== null);
    rows.push(
      row({
        case: c,
        metric: 'detection_ms',
        unit: 'ms',
        sipha: s,
        baseline: b,
        baselineName: BASELINE,
        target,
      }),
    );
  }
  report(fault ? `chaos-${fault}` : 'chaos', rows);
  console.log(`seed ${seed}: ${rs.map((r) => `${r.fault}${r.failover ? '(failover)' : ''}`).join(' ')}`);
}
