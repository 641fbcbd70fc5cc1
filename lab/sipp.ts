import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import type { LabSip } from './state.ts';

export const SCENARIO = fileURLToPath(new URL('./register.xml', import.meta.url));
export const CALL_SCENARIO = fileURLToPath(new URL('./sipp-call.xml', import.meta.url));

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
  /** The address sipp sends from (the bridge's address in a lab with --netns). */
  localIp?: string;
  /** Default: REGISTER (register.xml, injection from `users`). */
  scenario?: string;
  /** The injection file's text, for scenarios other than register.xml. */
  inject?: string;
  /** Length of the scenario's bare <pause/> (sipp -d). */
  pauseMs?: number;
  /** Record every message (sipp -trace_shortmsg) and return each call's replies in `calls`. */
  trace?: boolean;
  /**
   * The UDP port sipp sends from, which is also the port in every Contact it registers. Runs
   * that register the same users again should pass the same port: a phone keeps one contact,
   * while a new port per run adds a contact per user each time (expires 3600).
   */
  localPort?: number;
}

/** One call from sipp's short message trace: when it started, every reply code, its 200. */
export interface SippCall {
  id: string;
  /** Epoch ms of the call's first message. */
  startMs: number;
  /**
   * Every response code received to the call's own method (its first request's: REGISTER,
   * INVITE), in order, retransmitted replies included; not the replies to the BYE sipp sends
   * when it aborts a call on an unexpected reply (a proxy answers that one 404 or 481, which
   * would hide the reply that made the call fail).
   */
  codes: number[];
  /** Epoch ms of the first 200 to the call's own method, or null. */
  okMs: number | null;
}

export interface SippResult {
  sent: number;
  ok: number;
  failed: number;
  rtts: number[];
  /** Per call that succeeded: when it started (epoch ms) and how long it took. */
  done: { startMs: number; rttMs: number }[];
  /** Per statistics period (1 s): when it ended (epoch ms) and how many calls it created. */
  periods: { endMs: number; created: number }[];
  /** With `trace`: every call, in the order sipp started them. */
  calls?: SippCall[];
  /**
   * With `trace` and a failure: the first unexpected messages in full (sipp -trace_err), to tell
   * which element sent a failure reply (its Via, Server and Reason-like headers).
   */
  unexpected?: string;
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

/** Date_ms is when the response arrived, in ms since sipp started: the call started rtt ms earlier. */
export function parseDone(csv: string, startEpochMs: number): SippResult['done'] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';').map(Number))
    .filter(([at, rtt]) => Number.isFinite(at) && Number.isFinite(rtt))
    .map(([at, rtt]) => ({ startMs: startEpochMs + at! - rtt!, rttMs: rtt! }));
}

/** Every -trace_stat line: CurrentTime ends with the epoch seconds; OutgoingCall(P) per period. */
export function parsePeriods(csv: string): { startMs: number; periods: SippResult['periods'] } {
  const lines = csv.trim().split('\n');
  const head = lines[0]?.split(';') ?? [];
  const epochMs = (cell: string | undefined) => Math.round(Number(cell?.split('\t').at(-1)) * 1000);
  const created = head.indexOf('OutgoingCall(P)');
  const rows = lines.slice(1).map((l) => l.split(';'));
  return {
    startMs: epochMs(rows[0]?.[head.indexOf('StartTime')]),
    periods: rows.map((cells) => ({
      endMs: epochMs(cells[head.indexOf('CurrentTime')]),
      created: Number(cells[created]),
    })),
  };
}

/**
 * sipp's -trace_shortmsg file, one tab-separated line per message:
 * date, time, epoch seconds, S (sent) or R (received), Call-ID, CSeq, first line.
 */
export function parseShortTrace(text: string): SippCall[] {
  const calls = new Map<string, SippCall>();
  const methods = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [, , epoch, dir, id, cseq, first] = line.split('\t');
    const at = Math.round(Number(epoch) * 1000);
    if (!id || !first || !Number.isFinite(at)) continue;
    const method = /(\S+)\s*$/.exec(cseq ?? '')?.[1] ?? '';
    let call = calls.get(id);
    if (!call) {
      call = { id, startMs: at, codes: [], okMs: null };
      calls.set(id, call);
      methods.set(id, method);
    }
    const code = dir === 'R' ? /^SIP\/2\.0 (\d{3})/.exec(first)?.[1] : undefined;
    // A CANCEL belongs to the call's INVITE: its 200 is kept (never taken for the call's 200).
    const own = method === methods.get(id);
    if (!code || (!own && method !== 'CANCEL')) continue;
    call.codes.push(Number(code));
    if (own && code === '200' && call.okMs === null) call.okMs = at;
  }
  return [...calls.values()].sort((a, b) => a.startMs - b.startMs);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runSipp(r: SippRun): Promise<SippResult> {
  const work = mkdtempSync(join(r.workDir, 'sipp-'));
  const csv = join(work, 'users.csv');
  writeFileSync(csv, r.inject ?? injectionCsv(r.users, r.domain, r.expires));
  const localPort = r.localPort ?? (await freePort());
  // prettier-ignore
  const args = [
    `${r.sip.host}:${r.sip.udp}`,
    '-sf',
    r.scenario ?? SCENARIO,
    '-d',
    String(r.pauseMs ?? 0),
    '-inf',
    csv,
    '-i',
    r.localIp ?? '127.0.0.1',
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
    ...(r.trace
      ? [
          '-trace_shortmsg',
          '-shortmessage_file',
          join(work, 'short.log'),
          '-trace_err',
          '-error_file',
          join(work, 'errors.log'),
        ]
      : []),
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
  let timing: ReturnType<typeof parsePeriods>;
  try {
    const text = readFileSync(join(work, 'stat.csv'), 'utf8');
    stat = parseStat(text);
    timing = parsePeriods(text);
  } catch {
    throw new Error(`sipp wrote no statistics:\n${output.slice(-2000)}`);
  }
  const rttFile = readdirSync(work).find((f) => f.endsWith('_rtt.csv'));
  const rttText = rttFile ? readFileSync(join(work, rttFile), 'utf8') : '';
  const rtts = parseRtt(rttText);
  const calls = r.trace ? parseShortTrace(readFileSync(join(work, 'short.log'), 'utf8')) : undefined;
  const unexpected =
    r.trace && stat.failed > 0 && existsSync(join(work, 'errors.log'))
      ? readFileSync(join(work, 'errors.log'), 'utf8').slice(0, 16_000)
      : undefined;
  // The run's files are small but many runs add up; keep them only when something failed.
  if (stat.failed === 0) rmSync(work, { recursive: true, force: true });
  return {
    ...stat,
    rtts,
    done: parseDone(rttText, timing.startMs),
    periods: timing.periods,
    calls,
    unexpected,
    output,
  };
}
