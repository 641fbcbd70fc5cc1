// Results in the shape docs/BENCH.md fixes: a table on stdout and bench/results/NAME.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Row {
  case: string;
  metric: string;
  unit: string;
  sipha: number | null;
  baseline: number | null;
  baseline_name: string | null;
  runs: number;
  min: number | null;
  max: number | null;
  target: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** One row from per-run samples of sipha and (optionally) the baseline. */
export function row(opts: {
  case: string;
  metric: string;
  unit: string;
  sipha: number[];
  baseline?: number[];
  baselineName?: string;
  target: string;
}): Row {
  return {
    case: opts.case,
    metric: opts.metric,
    unit: opts.unit,
    sipha: round(opts.sipha.length ? median(opts.sipha) : null),
    baseline: round(opts.baseline?.length ? median(opts.baseline) : null),
    baseline_name: opts.baseline ? (opts.baselineName ?? null) : null,
    runs: opts.sipha.length,
    min: round(opts.sipha.length ? Math.min(...opts.sipha) : null),
    max: round(opts.sipha.length ? Math.max(...opts.sipha) : null),
    target: opts.target,
  };
}

function mariadbVersion(): string {
  try {
    return (
      execFileSync('/usr/sbin/mariadbd', ['--version'], { encoding: 'utf8' }).match(/Ver\s+(\S+)/)?.[1] ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

export function report(bench: string, rows: Row[]): void {
  const doc = {
    bench,
    when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: { cpus: os.cpus().length, node: process.version, mariadb: mariadbVersion() },
    rows,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${bench}.json`, `${JSON.stringify(doc, null, 2)}\n`);
  const head = ['case', 'metric', 'sipha (median)', 'min', 'max', 'baseline', 'ratio', 'target'];
  const lines = rows.map((r) => [
    r.case,
    `${r.metric} (${r.unit})`,
    String(r.sipha ?? '—'),
    String(r.min ?? '—'),
    String(r.max ?? '—'),
    r.baseline === null ? '—' : `${r.baseline} (${r.baseline_name})`,
    r.baseline && r.sipha ? `${Math.round((r.baseline / r.sipha) * 100) / 100}×` : '—',
    r.target,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(`\n${bench}\n${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const l of lines) console.log(fmt(l));
  console.log(`\nwritten: bench/results/${bench}.json`);
}
