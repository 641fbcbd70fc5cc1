import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabFirstStage } from './first-stage.ts';
import type { LabNet } from './netns.ts';

export interface LabNode {
  name: string;
  host: string;
  port: number;
  socket: string;
  pid: number;
  serverId: number;
  datadir: string;
}

export interface LabSip {
  name: string;
  host: string;
  udp: number;
  tcp: number;
  rpc: number;
  rpcUrl: string;
  node: string;
  serverId: number;
  pid: number;
}

export interface LabDns {
  host: string;
  port: number;
  zone: string;
  ttl: number;
  keyName: string;
  /** TSIG secret (base64); only in state.json, named.conf and the console config, all 0600. */
  keySecret: string;
  pid: number;
  dir: string;
}

export interface Cred {
  user: string;
  password: string;
}

/** How to start a process again (`lab start NAME`) with the very same command line. */
export interface LabProc {
  cmd: string;
  args: string[];
  log: string;
}

export interface LabState {
  dir: string;
  domain: string;
  fresh: boolean;
  /** How the SIP servers reach the databases (lab/kamailio-dbcl.ts); absent in older labs. */
  dbPolicy?: 'co-located' | 'single-writer' | 'single-url';
  nodes: LabNode[];
  sip: LabSip[];
  console: { url: string; pid: number } | null;
  /** The lab's authoritative DNS server (BIND 9), when started (lab/dns.ts). */
  dns?: LabDns;
  /** The first-stage Kamailio that forwards by RFC 3263 (lab/edge.ts). */
  edge?: LabSip;
  db: { sipha: Cred; kamailio: Cred; repl: Cred; sst?: Cred };
  /** Set by `up --engine galera`: each node's group communication, IST and SST ports. */
  galera?: LabGalera;
  configPath: string;
  /** With --netns: the namespaces and addresses of d1.., p1.., the console and the root. */
  net?: LabNet;
  /** With `up --clusters K`: each cluster's nodes and SIP servers, by name. */
  clusters?: LabCluster[];
  firstStage?: LabFirstStage | null;
  /** Command lines by process name (d1, p1, console); internal to the lab. */
  procs?: Record<string, LabProc>;
}

export interface LabGalera {
  ports: Record<string, { gcomm: number; ist: number; sst: number }>;
  /** garbd; `host` (absent in older labs) is its address, 127.0.0.1 or its namespace's. */
  arbitrator?: { pid: number; host?: string; port: number };
}

export interface LabCluster {
  name: string;
  nodes: string[];
  sip: string[];
}

export const DOMAIN = 'lab.sipha.test';

export function statePath(dir: string): string {
  return join(dir, 'state.json');
}

export function hasState(dir: string): boolean {
  return existsSync(statePath(dir));
}

export function readState(dir: string): LabState {
  return JSON.parse(readFileSync(statePath(dir), 'utf8')) as LabState;
}

/**
 * Written after every process start, so that `down` can clean up a lab whose `up` failed
 * midway. Mode 0600: it holds database passwords. Atomic rename so readers never see half.
 */
export function writeState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true });
  const tmp = `${statePath(state.dir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, statePath(state.dir));
}
