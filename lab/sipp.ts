import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import type { LabSip } from './state.ts';

export const SCENARIO = fileURLToPath(new URL('./register.xml', import.meta.url));

export interface SippRun {
  sip: LabSip;
  users: { username: string; password: string }[];
  domain: string;
  transport: 'udp' | 'tcp';
  rate: number;
  calls: number;
  expires: number;
  workDir: string;
  timeoutSec: number;
}

export interface SippResult {
  sent: number;
  ok: number;
  failed: number;
  rtts: number[];
  /** Per successful call: when it ended (ms after sipp started) and its response time. */
  done: { at: number; ms: number }[];
  output: string;
}

/**
 * sipp's injection file: one line per user, read in order and wrapped around. The auth keyword
 * sits in the file because sipp cannot nest [fieldN] inside [authentication ...].
 */
export function injectionCsv(users: SippRun['users'], domain: string, expires: number): string {
  const lines = users.map(
    (u) =>
      `${u.username};[authentication username=${u.username} password=${u.password}];${domain};${expires}`,
  );
  return `${['SEQUENTIAL', ...lines].join('\n')}\n`;
}

/** Last line of sipp's -trace_stat CSV: cumulative created / successful / failed calls. */
export function parseStat(csv: string): { sent: number; ok: number; failed: number } {
  const lines = csv.trim().split('\n');
  const head = lines[0]?.split(';') ?? [];
  const last = lines.at(-1)?.split(';') ?? [];
  const col = (name: string) => Number(last[head.indexOf(name)] ?? Number.NaN);
  return { sent: col('TotalCallCreated'), ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
}

/** -trace_rtt: header `Date_ms;response_time_ms;rtd_no`, one line per call with -rtt_freq 1. */
export function parseRtt(csv: string): number[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(';')[1]))
    .filter((n) => Number.isFinite(n));
}

export function parseRttRows(csv: string): { at: number; ms: number }[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';').map(Number))
    .filter(([at, ms]) => Number.isFinite(at) && Number.isFinite(ms))
    .map(([at, ms]) => ({ at: at!, ms: ms! }));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runSipp(r: SippRun): Promise<SippResult> {
  const work = mkdtempSync(join(r.workDir, 'sipp-'));
  const csv = join(work, 'users.csv');
  writeFileSync(csv, injectionCsv(r.users, r.domain, r.expires));
  const localPort = await freePort();
  // prettier-ignore
  const args = [
    `${r.sip.host}:${r.sip.udp}`,
    '-sf',
    SCENARIO,
    '-inf',
    csv,
    '-i',
    '127.0.0.1',
    '-p',
    String(localPort),
    '-t',
    r.transport === 'tcp' ? 't1' : 'u1',
    '-r',
    String(r.rate),
    '-m',
    String(r.calls),
    '-timeout',
    `${r.timeoutSec}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_stat',
    '-stf',
    join(work, 'stat.csv'),
    '-fd',
    '1',
    '-trace_rtt',
    '-rtt_freq',
    '1',
    '-recv_timeout',
    '5000',
    '-max_recv_loops',
    '100000',
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out = (out + d).slice(-20_000);
    });
    child.stderr.on('data', (d) => {
      out = (out + d).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
  let stat: { sent: number; ok: number; failed: number };
  try {
    stat = parseStat(readFileSync(join(work, 'stat.csv'), 'utf8'));
  } catch {
    throw new Error(`sipp wrote no statistics:\n${output.slice(-2000)}`);
  }
  const rttFile = readdirSync(work).find((f) => f.endsWith('_rtt.csv'));
  const rttCsv = rttFile ? readFileSync(join(work, rttFile), 'utf8') : '';
  const rtts = parseRtt(rttCsv);
  const done = parseRttRows(rttCsv);
  // The run's files are small but many runs add up; keep them only when something failed.
  if (stat.failed === 0) rmSync(work, { recursive: true, force: true });
  return { ...stat, rtts, done, output };
}
