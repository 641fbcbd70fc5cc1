import { resolve } from 'node:path';
import type { LabFirstStage } from './first-stage.ts';
import { query } from './mariadb.ts';
import { restart } from './nodes.ts';
import { freePort } from './ports.ts';
import { type ProcState, procState, sendSignal } from './process.ts';
import { seedUsers } from './schema.ts';
import { percentile, runSipp } from './sipp.ts';
import { type LabState, readState } from './state.ts';
import { down } from './teardown.ts';
import { up } from './up.ts';

export type { LabNode, LabSip, LabState } from './state.ts';
export type { UpOptions } from './up.ts';
export { down, freePort, readState, seedUsers, up };

export interface StatusJson {
  dir: string;
  nodes: { name: string; host: string; port: number; pid: number; state: ProcState }[];
  sip: {
    name: string;
    host: string;
    udp: number;
    tcp: number;
    rpc: number;
    node: string;
    pid: number;
    state: ProcState;
  }[];
  console: { url: string; pid: number } | null;
  /** With `up --clusters K`: each cluster's members, and the first stage. */
  clusters?: { name: string; nodes: string[]; sip: string[] }[];
  firstStage?: (LabFirstStage & { state: ProcState }) | null;
}

export async function status(dir: string): Promise<StatusJson> {
  const s = readState(resolve(dir));
  return {
    dir: s.dir,
    nodes: s.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      port: n.port,
      pid: n.pid,
      state: procState(n.pid),
    })),
    sip: s.sip.map((p) => ({
      name: p.name,
      host: p.host,
      udp: p.udp,
      tcp: p.tcp,
      rpc: p.rpc,
      node: p.node,
      pid: p.pid,
      state: procState(p.pid),
    })),
    console: s.console && procState(s.console.pid) !== 'down' ? s.console : null,
    ...(s.clusters
      ? {
          clusters: s.clusters,
          firstStage: s.firstStage ? { ...s.firstStage, state: procState(s.firstStage.pid) } : null,
        }
      : {}),
  };
}

function find(state: LabState, name: string): { pid: number } {
  const p =
    state.nodes.find((n) => n.name === name) ??
    state.sip.find((s) => s.name === name) ??
    (state.firstStage?.name === name ? state.firstStage : undefined);
  if (!p) throw new Error(`no node or SIP server named ${name} in ${state.dir}`);
  return p;
}

const SIGNALS = { kill: 'SIGKILL', stop: 'SIGSTOP', cont: 'SIGCONT' } as const;

/** Faults for tests and demos; the whole process group, so kamailio's workers go too. */
export async function signal(dir: string, name: string, sig: 'kill' | 'stop' | 'cont'): Promise<void> {
  const p = find(readState(resolve(dir)), name);
  if (procState(p.pid) === 'down') throw new Error(`${name} is not running`);
  sendSignal(p.pid, SIGNALS[sig], true);
  // The kernel applies stop/continue asynchronously (all threads of mariadbd); return only
  // once /proc shows the new state, so callers can assert on status() right away.
  const want = { kill: 'down', stop: 'stopped', cont: 'running' }[sig];
  const until = Date.now() + 5000;
  while (procState(p.pid) !== want) {
    if (Date.now() > until) throw new Error(`${name} did not become ${want} after ${SIGNALS[sig]}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function start(dir: string, name: string): Promise<void> {
  await restart(readState(resolve(dir)), name);
}

function site(state: LabState, name = 'p1') {
  // The first stage takes load like a SIP server (issue 14).
  const sip = state.sip.find((s) => s.name === name) ?? firstStageSite(state, name);
  if (!sip) throw new Error(`no SIP server named ${name} in ${state.dir}`);
  return sip;
}

export async function load(
  dir: string,
  opts: { site?: string; rate?: number; users?: number; duration?: number; transport?: 'udp' | 'tcp' } = {},
): Promise<{ sent: number; ok: number; failed: number; p50: number; p95: number; p99: number }> {
  const state = readState(resolve(dir));
  const rate = opts.rate ?? 280;
  const duration = opts.duration ?? 60;
  const r = await runSipp({
    sip: site(state, opts.site),
    users: seedUsers(opts.users ?? 100),
    domain: state.domain,
    transport: opts.transport ?? 'udp',
    rate,
    calls: Math.max(1, Math.round(rate * duration)),
    expires: 3600,
    workDir: state.dir,
    timeoutSec: duration + 30,
  });
  const sorted = [...r.rtts].sort((a, b) => a - b);
  return {
    sent: r.sent,
    ok: r.ok,
    failed: r.failed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export async function register(
  dir: string,
  opts: {
    site: string;
    users: { username: string; password: string }[];
    domain?: string;
    transport?: 'udp' | 'tcp';
    expires?: number;
  },
): Promise<{ ok: number; failed: number }> {
  const state = readState(resolve(dir));
  const r = await runSipp({
    sip: site(state, opts.site),
    users: opts.users,
    domain: opts.domain ?? state.domain,
    transport: opts.transport ?? 'udp',
    rate: 50,
    calls: opts.users.length,
    expires: opts.expires ?? 3600,
    workDir: state.dir,
    timeoutSec: 30,
  });
  return { ok: r.ok, failed: r.failed };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary rows; the agreed API defaults to any.
export async function adminQuery<T = any>(
  dir: string,
  node: string,
  sql: string,
  params?: unknown[],
): Promise<T[]> {
  const n = readState(resolve(dir)).nodes.find((x) => x.name === node);
  if (!n) throw new Error(`no node named ${node} in ${dir}`);
  return query<T>(n.socket, sql, params);
}

function firstStageSite(state: LabState, name: string): LabState['sip'][number] | undefined {
  const f = state.firstStage;
  if (!f || f.name !== name) return undefined;
  return { ...f, node: '', serverId: 0 };
}
