// npm run bench -- sip_failover
// The SIP service when a database or a whole site fails. db_cluster on every SIP server
// (co-located: P1 uses D1 then D2) against the baseline, today's lab: one db_url per SIP
// server. Each run on a fresh lab, the two kinds alternating.
//   d1_kill / d1_hang: 280 REGISTER/s at p1, d1 SIGKILLed / SIGSTOPped 5 s in; how long until a
//     whole second has ≥ 99 % of REGISTERs answered 200, and how many failed in the 30 s after.
//   site_loss: phones registered at p1; p1 and d1 SIGKILLed; 10 calls/s through p2 to them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, placeCalls, readState, seedUsers, signal, startPhone, up } from '../lab/index.ts';
import { runSipp } from '../lab/sipp.ts';
import { createdBetween, failedAfter, okBetween, recoveryMs } from './lib/register-recovery.ts';
import { report, row } from './lib/report.ts';

export const description =
  'REGISTER recovery at p1 when d1 is killed or hung, calls through p2 after a site loss (db_cluster vs one db_url)';

const RUNS = Number(process.env.RUNS ?? 5);
// RATE and CASES (comma-separated) only for trying things out; the results are for 280/s.
const RATE = Number(process.env.RATE ?? 280);
const CASES = (process.env.CASES ?? 'd1_kill,d1_hang,site_loss').split(',');
const BEFORE_MS = 5000;
const WINDOW_MS = 30_000;
const CALL_RATE = 10;
const CALLS = 100;
const CALLEES = seedUsers(100).slice(90, 95);

type Kind = 'db_cluster' | 'baseline';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLab<T>(kind: Kind, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bsf-'));
  try {
    await up({
      dir,
      nodes: 2,
      console: false,
      dbPolicy: kind === 'db_cluster' ? 'co-located' : 'single-url',
    });
    return await fn(dir);
  } finally {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerRun(kind: Kind, fault: 'kill' | 'stop') {
  return withLab(kind, async (dir) => {
    const state = readState(dir);
    const users = seedUsers(100);
    const load = runSipp({
      sip: state.sip[0]!,
      users,
      domain: state.domain,
      transport: 'udp',
      rate: RATE,
      calls: Math.round((RATE * (BEFORE_MS + WINDOW_MS)) / 1000),
      expires: 600,
      workDir: dir,
      timeoutSec: (BEFORE_MS + WINDOW_MS) / 1000 + 30,
    });
    await sleep(BEFORE_MS);
    const faultAt = Date.now();
    await signal(dir, 'd1', fault);
    const r = await load;
    if (fault === 'stop') await signal(dir, 'd1', 'cont');
    // DEBUG_SECONDS=1: REGISTERs sent and answered per whole second around the fault.
    if (process.env.DEBUG_SECONDS) {
      const s0 = Math.floor(faultAt / 1000) * 1000;
      for (let s = s0 - 1000; s < s0 + 8000; s += 1000)
        console.log(
          `${(s - faultAt) / 1000}s sent ${createdBetween(r, s, s + 1000).toFixed(0)} ok ${okBetween(r, s, s + 1000)}`,
        );
      console.log(`sipp: sent ${r.sent} ok ${r.ok} failed ${r.failed}`);
    }
    return { recovery: recoveryMs(r, faultAt, WINDOW_MS), failed: failedAfter(r, faultAt, WINDOW_MS) };
  });
}

export function siteLossRun(kind: Kind) {
  return withLab(kind, async (dir) => {
    const state = readState(dir);
    const phones = await Promise.all(
      CALLEES.map((user) =>
        startPhone({ sip: state.sip[0]!, user, domain: state.domain, workDir: dir, stayMs: 60_000 }),
      ),
    );
    try {
      await sleep(1000); // the registrations replicate to d2
      await signal(dir, 'p1', 'kill');
      await signal(dir, 'd1', 'kill');
      const r = await placeCalls(state, {
        from: 'user1000',
        to: CALLEES.map((u) => u.username),
        site: 'p2',
        rate: CALL_RATE,
        count: CALLS,
        talkMs: 200,
      });
      const answered = phones.reduce((n, p) => n + p.answered(), 0);
      return (100 * Math.min(r.ok, answered)) / Math.max(1, r.sent);
    } finally {
      await Promise.all(phones.map((p) => p.stop()));
    }
  });
}

export async function run(): Promise<void> {
  const rows = [];
  const baselineName = 'one db_url per SIP server (today’s lab)';
  for (const [name, fault, target] of [
    ['d1_kill', 'kill', '<= 2000'],
    ['d1_hang', 'stop', '<= 3000'],
  ] as const) {
    if (!CASES.includes(name)) continue;
    const s = { recovery: [] as number[], failed: [] as number[] };
    const b = { recovery: [] as number[], failed: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      for (const kind of ['db_cluster', 'baseline'] as const) {
        const r = await registerRun(kind, fault);
        const into = kind === 'db_cluster' ? s : b;
        into.recovery.push(r.recovery);
        into.failed.push(r.failed);
        console.log(`${name} run ${i + 1} ${kind}: recovery ${r.recovery} ms, failed ${r.failed}`);
      }
    }
    rows.push(
      row({
        case: name,
        metric: 'register_recovery_ms',
        unit: 'ms',
        sipha: s.recovery,
        baseline: b.recovery,
        baselineName,
        target,
      }),
      row({
        case: name,
        metric: 'failed_registers',
        unit: 'count',
        sipha: s.failed,
        baseline: b.failed,
        baselineName,
        target: 'lower is better',
      }),
    );
  }
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < (CASES.includes('site_loss') ? RUNS : 0); i++) {
    for (const kind of ['db_cluster', 'baseline'] as const) {
      const pct = await siteLossRun(kind);
      (kind === 'db_cluster' ? s : b).push(pct);
      console.log(`site_loss run ${i + 1} ${kind}: ${pct.toFixed(1)} % of calls answered`);
    }
  }
  if (s.length)
    rows.push(
      row({
        case: 'site_loss',
        metric: 'call_success_pct',
        unit: '%',
        sipha: s,
        baseline: b,
        baselineName,
        target: '100',
      }),
    );
  report(RATE === 280 ? 'sip_failover' : `sip_failover_rate${RATE}`, rows);
}
