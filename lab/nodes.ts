import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAMAILIO, kamailioArgs, renderConfig, waitKamailio } from './kamailio.ts';
import { createDatadir, MARIADBD, nodeArgs, waitMariadb } from './mariadb.ts';
import { freePort } from './ports.ts';
import { procState, spawnDetached } from './process.ts';
import { type LabNode, type LabSip, type LabState, writeState } from './state.ts';

/** Starts a fresh node d{i}: datadir copied from the template, recorded in state at once. */
export async function launchNode(
  state: LabState,
  i: number,
  count: number,
  extra?: string[],
  /** Position inside its cluster (lab --clusters), for server-id and auto-increment offset. */
  local = i,
): Promise<LabNode> {
  const name = `d${i}`;
  const runDir = join(state.dir, name);
  const datadir = join(runDir, 'data');
  createDatadir(datadir);
  const port = await freePort();
  const args = nodeArgs({ index: local, count, fresh: state.fresh, port, datadir, runDir, extra });
  const log = join(runDir, 'mysqld.out');
  const pid = spawnDetached(MARIADBD, args, log);
  const node: LabNode = {
    name,
    host: '127.0.0.1',
    port,
    socket: join(runDir, 'mysqld.sock'),
    pid,
    serverId: i,
    datadir,
  };
  state.nodes.push(node);
  state.procs = { ...state.procs, [name]: { cmd: MARIADBD, args, log } };
  writeState(state);
  await waitMariadb(node.socket, pid);
  return node;
}

export async function launchSip(state: LabState, i: number): Promise<LabSip> {
  const name = `p${i}`;
  const node = state.nodes[i - 1]!;
  const runDir = join(state.dir, name);
  mkdirSync(runDir, { recursive: true });
  const sipPort = await freePort();
  let rpcPort = await freePort();
  while (rpcPort === sipPort) rpcPort = await freePort();
  const { user, password } = state.db.kamailio;
  const cfg = join(runDir, 'kamailio.cfg');
  const authSecret = createHash('sha256').update(`nonce:${password}`).digest('hex').slice(0, 32);
  const dbUrl = `mysql://${user}:${password}@127.0.0.1:${node.port}/kamailio`;
  writeFileSync(
    cfg,
    renderConfig({
      name,
      node: node.name,
      serverId: i,
      sipPort,
      rpcPort,
      domain: state.domain,
      dbUrl,
      authSecret,
    }),
    { mode: 0o600 },
  );
  const args = kamailioArgs(cfg, runDir);
  const log = join(runDir, 'kamailio.log');
  const pid = spawnDetached(KAMAILIO, args, log);
  const rpcUrl = `http://127.0.0.1:${rpcPort}/RPC`;
  const sip: LabSip = {
    name,
    host: '127.0.0.1',
    udp: sipPort,
    tcp: sipPort,
    rpc: rpcPort,
    rpcUrl,
    node: node.name,
    serverId: i,
    pid,
  };
  state.sip.push(sip);
  state.procs = { ...state.procs, [name]: { cmd: KAMAILIO, args, log } };
  writeState(state);
  await waitKamailio(sipPort, rpcUrl, pid);
  return sip;
}

/** `lab start NAME`: same command line (same datadir, port, config), new pid, wait until ready. */
export async function restart(state: LabState, name: string): Promise<void> {
  const proc = state.procs?.[name];
  const node = state.nodes.find((n) => n.name === name);
  // The first stage (issue 14) restarts like a SIP server.
  const sip =
    state.sip.find((s) => s.name === name) ??
    (state.firstStage?.name === name ? state.firstStage : undefined);
  if (!proc || (!node && !sip)) throw new Error(`unknown process ${name}`);
  const target = (node ?? sip)!;
  if (procState(target.pid) !== 'down') throw new Error(`${name} is still running (pid ${target.pid})`);
  target.pid = spawnDetached(proc.cmd, proc.args, proc.log);
  writeState(state);
  if (node) await waitMariadb(node.socket, node.pid);
  if (sip) await waitKamailio(sip.udp, sip.rpcUrl, sip.pid);
}
