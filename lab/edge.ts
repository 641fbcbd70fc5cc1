import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAMAILIO, kamailioArgs, MODULES, PROXY_SHM_MB, renderTemplate, waitKamailio } from './kamailio.ts';
import { member } from './netns.ts';
import { freePort } from './ports.ts';
import { spawnDetached } from './process.ts';
import { type LabSip, type LabState, writeState } from './state.ts';

const TEMPLATE = fileURLToPath(new URL('./edge.cfg.tmpl', import.meta.url));
const SHIM = fileURLToPath(new URL('./resolv-port.c', import.meta.url));

export interface EdgeOptions {
  /** use_dns_failover; off only for the benchmark's baseline. */
  failover?: boolean;
  /** dns_try_naptr; off sidesteps Kamailio issue 4911 (NAPTR failover state shared by all). */
  naptr?: boolean;
  /** use_dst_blocklist: skip a destination that just failed, for dst_blocklist_expire (10 s). */
  blocklist?: boolean;
}

export function renderEdge(v: {
  sipPort: number;
  rpcPort: number;
  failover: boolean;
  naptr: boolean;
  blocklist: boolean;
  /** With --netns: the bridge's address, where the SIP servers' namespaces are reached from. */
  netHost?: string;
}): string {
  // mhomed: a request leaves from the address that routes to its destination (loopback or bridge).
  const net = v.netHost
    ? `listen=udp:${v.netHost}:${v.sipPort}\nlisten=tcp:${v.netHost}:${v.sipPort}\nmhomed=1`
    : '';
  return renderTemplate(readFileSync(TEMPLATE, 'utf8'), {
    NET_LISTEN: net,
    SIP_PORT: v.sipPort,
    RPC_PORT: v.rpcPort,
    FAILOVER: v.failover ? 'yes' : 'no',
    NAPTR: v.naptr ? 'yes' : 'no',
    BLOCKLIST: v.blocklist ? 'yes' : 'no',
    MODULES,
  });
}

/** Builds the loopback resolver adapter (lab/resolv-port.c) into DIR/edge. */
function buildShim(runDir: string): string {
  const so = join(runDir, 'resolv-port.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', so, SHIM, '-ldl'], { stdio: 'pipe' });
  return so;
}

/** The edge Kamailio, resolving the SIP domain through the lab's named. Needs launchDns first. */
export async function launchEdge(state: LabState, opts: EdgeOptions = {}): Promise<LabSip> {
  if (!state.dns) throw new Error('the edge needs the lab DNS server (start it with --dns)');
  const runDir = join(state.dir, 'edge');
  mkdirSync(runDir, { recursive: true });
  const sipPort = await freePort();
  let rpcPort = await freePort();
  while (rpcPort === sipPort) rpcPort = await freePort();
  const cfg = join(runDir, 'kamailio.cfg');
  writeFileSync(
    cfg,
    renderEdge({
      sipPort,
      rpcPort,
      failover: opts.failover ?? true,
      naptr: opts.naptr ?? true,
      blocklist: opts.blocklist ?? true,
      netHost: state.net ? member(state.net, 'root').ip : undefined,
    }),
  );
  // Through env(1), which execs Kamailio: the pid and command line stay Kamailio's, and the
  // recorded command line restarts it with the same adapter.
  const args = [
    `LD_PRELOAD=${buildShim(runDir)}`,
    `SIPHA_DNS_HOST=${state.dns.host}`,
    `SIPHA_DNS_PORT=${state.dns.port}`,
    KAMAILIO,
    ...kamailioArgs(cfg, runDir, PROXY_SHM_MB),
  ];
  const log = join(runDir, 'kamailio.log');
  const pid = spawnDetached('env', args, log);
  const rpcUrl = `http://127.0.0.1:${rpcPort}/RPC`;
  const edge: LabSip = {
    name: 'edge',
    host: '127.0.0.1',
    udp: sipPort,
    tcp: sipPort,
    rpc: rpcPort,
    rpcUrl,
    node: '',
    serverId: 0,
    pid,
  };
  state.edge = edge;
  state.procs = { ...state.procs, edge: { cmd: 'env', args, log } };
  writeState(state);
  await waitKamailio(sipPort, rpcUrl, pid);
  return edge;
}
