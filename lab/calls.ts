import { resolve } from 'node:path';
import { startPhone } from './phone.ts';
import { seedUsers } from './schema.ts';
import { CALL_SCENARIO, percentile, runSipp } from './sipp.ts';
import { type LabSip, type LabState, readState } from './state.ts';

export interface CallResult {
  attempted: number;
  answered: number;
  failed: number;
  /** Setup time, first INVITE to 200 OK (milliseconds). */
  p50: number;
  p95: number;
  p99: number;
  /** Calls the callee's phone answered (so a 200 from anywhere else would show). */
  atCallee: number;
}

export function site(state: LabState, name = 'p1'): LabSip {
  // The first stage (lab --clusters) takes load like a SIP server.
  const f = state.firstStage?.name === name ? state.firstStage : undefined;
  const sip = state.sip.find((s) => s.name === name) ?? (f && { ...f, node: '', serverId: 0 });
  if (!sip) throw new Error(`no SIP server named ${name} in ${state.dir}`);
  return sip;
}

/** Only the lab's seeded users have passwords the lab knows. */
export function labUser(username: string): { username: string; password: string } {
  const u = seedUsers(100).find((x) => x.username === username);
  if (!u) throw new Error(`${username} is not one of the lab's users (user1000 … user1099)`);
  return u;
}

/** One line per callee; sipp reads them in turn and wraps around. */
export function callCsv(
  from: { username: string; password: string },
  to: string | string[],
  domain: string,
): string {
  const auth = `[authentication username=${from.username} password=${from.password}]`;
  const lines = [to].flat().map((callee) => `${from.username};${auth};${domain};${callee}`);
  return `${['SEQUENTIAL', ...lines].join('\n')}\n`;
}

/** Places calls from `from` to `to` through `site`: INVITE with proxy auth, talk, BYE. */
export async function placeCalls(
  state: LabState,
  opts: {
    from: string;
    to: string | string[];
    site?: string;
    rate?: number;
    count?: number;
    talkMs?: number;
    /** Keep every reply code of every call (SippResult.calls). */
    trace?: boolean;
  },
) {
  const rate = opts.rate ?? 1;
  const count = opts.count ?? 1;
  return runSipp({
    sip: site(state, opts.site),
    users: [],
    domain: state.domain,
    transport: 'udp',
    rate,
    calls: count,
    expires: 0,
    workDir: state.dir,
    timeoutSec: Math.ceil(count / rate) + 40,
    scenario: CALL_SCENARIO,
    inject: callCsv(labUser(opts.from), opts.to, state.domain),
    pauseMs: opts.talkMs ?? 500,
    trace: opts.trace,
  });
}

/**
 * `lab call`: the callee's phone registers at `calleeSite` (p1 unless told), the caller calls
 * through `site`, then the phone unregisters. Counts what the caller saw and what the phone got.
 */
export async function call(
  dir: string,
  opts: { from: string; to: string; site?: string; calleeSite?: string; rate?: number; duration?: number },
): Promise<CallResult> {
  const state = readState(resolve(dir));
  const rate = opts.rate ?? 1;
  const count = opts.duration ? Math.max(1, Math.round(rate * opts.duration)) : 1;
  const talkMs = 500;
  const phone = await startPhone({
    sip: site(state, opts.calleeSite ?? 'p1'),
    user: labUser(opts.to),
    domain: state.domain,
    workDir: state.dir,
    stayMs: Math.ceil((count / rate) * 1000) + talkMs + 3000,
  });
  try {
    const r = await placeCalls(state, { ...opts, rate, count, talkMs });
    const sorted = [...r.rtts].sort((a, b) => a - b);
    return {
      attempted: r.sent,
      answered: r.ok,
      failed: r.failed,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      atCallee: phone.answered(),
    };
  } finally {
    await Promise.race([phone.exited, new Promise((r) => setTimeout(r, 8000))]);
    await phone.stop();
  }
}
