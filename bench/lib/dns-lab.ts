// Shared pieces of `npm run bench -- dns`: a lab with DNS and the edge, the edge restarted with
// DNS failover on (sipha) or off (baseline), REGISTER load through the edge, registrar counters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DnsOptions } from '../../lab/dns.ts';
import { launchEdge } from '../../lab/edge.ts';
import { down, type LabState, readState, seedUsers, up } from '../../lab/index.ts';
import { rpc } from '../../lab/kamailio.ts';
import { ours, terminate } from '../../lab/process.ts';
import { runSipp, type SippResult } from '../../lab/sipp.ts';

export type Kind = 'sipha' | 'baseline';

export interface BenchLab {
  state: LabState;
  dir: string;
  edgeFailover: boolean;
  stop: () => Promise<void>;
}

let current: BenchLab | null = null;
process.once('SIGINT', () => {
  void (current?.stop() ?? Promise.resolve()).then(() => process.exit(130));
});

export async function startLab(nodes: number, dns: DnsOptions): Promise<BenchLab> {
  const dir = mkdtempSync(join(tmpdir(), 'bdns-'));
  const stop = async () => {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    current = null;
  };
  try {
    const state = await up({ dir, nodes, console: false, dns, edge: { failover: true } });
    current = { state, dir, edgeFailover: true, stop };
    return current;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** sipha's edge has use_dns_failover on; the baseline is the same edge with it off. */
/** `fresh`: restart even when the mode is right (no DNS cache or blocklist left from a run). */
export async function switchEdge(lab: BenchLab, kind: Kind, fresh = false): Promise<void> {
  const want = kind === 'sipha';
  if (lab.edgeFailover === want && !fresh) return;
  // Fresh from disk: `lab start p1` recorded a new pid there, which launchEdge must not undo.
  lab.state = readState(lab.dir);
  const old = lab.state.edge!;
  if (ours(old.pid, 'kamailio')) await terminate(old.pid, true);
  await launchEdge(lab.state, { failover: want });
  lab.edgeFailover = want;
}

export function registerThroughEdge(lab: BenchLab, rate: number, calls: number): Promise<SippResult> {
  return runSipp({
    sip: lab.state.edge!,
    users: seedUsers(100),
    domain: lab.state.domain,
    transport: 'udp',
    rate,
    calls,
    expires: 3600,
    workDir: lab.state.dir,
    timeoutSec: Math.ceil(calls / rate) + 30,
  });
}

/** registrar:accepted_regs per SIP server (a dead one counts as null). */
export async function accepted(lab: BenchLab): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  await Promise.all(
    lab.state.sip.map(async (s) => {
      const r = (await rpc(s.rpcUrl, 'stats.get_statistics', ['registrar:']).catch(() => null)) as
        | string[]
        | null;
      const line = r?.find((l) => l.startsWith('registrar:accepted_regs'));
      out[s.name] = line ? Number(line.split('=')[1]) : null;
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
