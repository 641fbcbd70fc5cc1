import { resolve } from 'node:path';
import { type CallResult, call, labUser, placeCalls, site } from './calls.ts';
import type { LabFirstStage } from './first-stage.ts';
import { query } from './mariadb.ts';
import { heal as healNet, partition as partitionNet } from './netns-partition.ts';
import { restart } from './nodes.ts';
import { startPhone } from './phone.ts';
import { freePort } from './ports.ts';
import { type ProcState, procState, sendSignal } from './process.ts';
import { seedUsers } from './schema.ts';
import { percentile, runSipp } from './sipp.ts';
import { type LabState, readState } from './state.ts';
import { down } from './teardown.ts';
import { up } from './up.ts';

export type { LabNode, LabSip, LabState } from './state.ts';
export type { UpOptions } from './up.ts';
export { call, down, freePort, labUser, placeCalls, readState, seedUsers, startPhone, up };

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
  /** The lab's DNS server for the SIP domain, when it runs one. */
  dns: { host: string; port: number; zone: string } | null;
  edge: { host: string; udp: number; tcp: number; rpc: number; pid: number; state: ProcState } | null;
  /** With `up --clusters K`: each cluster's members, and the first stage. */
  clusters?: { name: string; nodes: string[]; sip: string[] }[];
  firstStage?: (LabFirstStage & { state: ProcState }) | null;
  /** A Galera lab's garbd (`up --arbitrator`), at its own address with --netns. */
  arbitrator?: { host: string; port: number; pid: number; state: ProcState };
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
    dns: s.dns ? { host: s.dns.host, port: s.dns.port, zone: s.dns.zone } : null,
    edge: s.edge
      ? {
          host: s.edge.host,
          udp: s.edge.udp,
          tcp: s.edge.tcp,
          rpc: s.edge.rpc,
          pid: s.edge.pid,
          state: procState(s.edge.pid),
        }
      : null,
    ...(s.clusters
      ? {
          clusters: s.clusters,
          firstStage: s.firstStage ? { ...s.firstStage, state: procState(s.firstStage.pid) } : null,
        }
      : {}),
    ...(s.galera?.arbitrator
      ? {
          arbitrator: {
            host: s.galera.arbitrator.host ?? '127.0.0.1',
            port: s.galera.arbitrator.port,
            pid: s.galera.arbitrator.pid,
            state: procState(s.galera.arbitrator.pid),
          },
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

function netOf(dir: string) {
  const s = readState(resolve(dir));
  if (!s.net) throw new Error(`the lab in ${s.dir} runs without --netns: it cannot partition`);
  return s.net;
}

/** Cuts A from B (both directions), A from its cluster peers with b = 'nodes', or from everyone with 'all'. */
export function partition(dir: string, a: string, b: string | 'all'): void {
  partitionNet(netOf(dir), a, b);
}

/** Restores A–B, everything around A, or the whole lab. */
export function heal(dir: string, a?: string, b?: string): void {
  healNet(netOf(dir), a, b);
}

export async function start(dir: string, name: string): Promise<void> {
  await restart(readState(resolve(dir)), name);
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  /** How many response times the percentiles are over. */
  rtts: number;
  p50: number;
  p95: number;
  p99: number;
  /** With `calls`: the calls placed alongside the REGISTERs. */
  calls?: CallResult;
}

/** REGISTER load at `site`; with `calls` (per second) also calls to a phone registered there. */
export async function load(
  dir: string,
  opts: {
    site?: string;
    rate?: number;
    users?: number;
    duration?: number;
    transport?: 'udp' | 'tcp';
    calls?: number;
  } = {},
): Promise<LoadResult> {
  const state = readState(resolve(dir));
  const rate = opts.rate ?? 280;
  const duration = opts.duration ?? 60;
  const registers = runSipp({
    sip: site(state, opts.site),
    // With calls, user1098 calls user1099: neither may also be registered by the REGISTER load.
    users: seedUsers(Math.min(opts.users ?? 100, opts.calls ? 98 : 100)),
    domain: state.domain,
    transport: opts.transport ?? 'udp',
    rate,
    calls: Math.max(1, Math.round(rate * duration)),
    expires: 3600,
    workDir: state.dir,
    timeoutSec: duration + 30,
    localIp: state.net?.members.root?.ip,
  });
  const calls = opts.calls
    ? callLoad(dir, { site: opts.site, rate: opts.calls, duration })
    : Promise.resolve(undefined);
  const [r, c] = await Promise.all([registers, calls]);
  return { ...summary(r), calls: c };
}

/** Calls from user1098 to user1099 (its phone registered at the same site) during a load run. */
function callLoad(dir: string, opts: { site?: string; rate: number; duration: number }) {
  return call(dir, { from: 'user1098', to: 'user1099', calleeSite: opts.site, ...opts });
}

function summary(r: { sent: number; ok: number; failed: number; rtts: number[] }) {
  const sorted = [...r.rtts].sort((a, b) => a - b);
  return {
    sent: r.sent,
    ok: r.ok,
    failed: r.failed,
    rtts: sorted.length,
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
    localIp: state.net?.members.root?.ip,
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
