import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAMAILIO, kamailioArgs, MODULES, PROXY_SHM_MB, renderTemplate, waitKamailio } from './kamailio.ts';
import { freePort } from './ports.ts';
import { spawnDetached } from './process.ts';
import { type LabState, writeState } from './state.ts';

const TEMPLATE = fileURLToPath(new URL('./first-stage.cfg.tmpl', import.meta.url));

export interface LabFirstStage {
  name: string;
  host: string;
  udp: number;
  tcp: number;
  rpc: number;
  rpcUrl: string;
  pid: number;
}

/**
 * Dispatcher set per cluster (set id = position in the cluster list, from 1), its SIP servers in
 * the order given with falling priority: the first is preferred, the next takes over.
 */
export function dispatcherList(clusters: { sip: { host: string; udp: number }[] }[]): string {
  const lines = ['# setid destination flags priority'];
  clusters.forEach((c, i) => {
    c.sip.forEach((s, j) => {
      lines.push(`${i + 1} sip:${s.host}:${s.udp} 0 ${c.sip.length - j}`);
    });
  });
  return `${lines.join('\n')}\n`;
}

export function renderFirstStage(v: {
  name: string;
  sipPort: number;
  rpcPort: number;
  dbUrl: string;
  dispatcherList: string;
}): string {
  return renderTemplate(readFileSync(TEMPLATE, 'utf8'), {
    NAME: v.name,
    SIP_PORT: v.sipPort,
    RPC_PORT: v.rpcPort,
    DB_URL: v.dbUrl,
    DISPATCHER_LIST: v.dispatcherList,
    MODULES,
  });
}

/**
 * Starts f1 in front of every cluster on `sipPort` (chosen before the SIP servers started, as
 * they send calls back through it); it reads the shard map from the home cluster's first node.
 */
export async function launchFirstStage(state: LabState, sipPort: number): Promise<LabFirstStage> {
  const name = 'f1';
  const runDir = join(state.dir, name);
  mkdirSync(runDir, { recursive: true });
  let rpcPort = await freePort();
  while (rpcPort === sipPort) rpcPort = await freePort();
  const home = state.nodes[0]!;
  const { user, password } = state.db.kamailio;
  const list = join(runDir, 'dispatcher.list');
  const bySip = new Map(state.sip.map((s) => [s.name, s]));
  writeFileSync(
    list,
    dispatcherList((state.clusters ?? []).map((c) => ({ sip: c.sip.map((n) => bySip.get(n)!) }))),
  );
  const cfg = join(runDir, 'kamailio.cfg');
  const dbUrl = `mysql://${user}:${password}@127.0.0.1:${home.port}/kamailio`;
  writeFileSync(cfg, renderFirstStage({ name, sipPort, rpcPort, dbUrl, dispatcherList: list }), {
    mode: 0o600,
  });
  const args = kamailioArgs(cfg, runDir, PROXY_SHM_MB);
  const log = join(runDir, 'kamailio.log');
  const pid = spawnDetached(KAMAILIO, args, log);
  const rpcUrl = `http://127.0.0.1:${rpcPort}/RPC`;
  const f: LabFirstStage = { name, host: '127.0.0.1', udp: sipPort, tcp: sipPort, rpc: rpcPort, rpcUrl, pid };
  state.firstStage = f;
  state.procs = { ...state.procs, [name]: { cmd: KAMAILIO, args, log } };
  writeState(state);
  await waitKamailio(sipPort, rpcUrl, pid);
  return f;
}
