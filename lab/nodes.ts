import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAMAILIO, kamailioArgs, renderConfig, waitKamailio } from './kamailio.ts';
import { sipDb } from './kamailio-dbcl.ts';
import { createDatadir, MARIADBD, nodeArgs, waitMariadb } from './mariadb.ts';
import { inNs } from './netns.ts';
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
  const host = state.net?.members[name]?.ip ?? '127.0.0.1';
  const bind = state.net ? [`--bind-address=${host}`] : [];
  const own = nodeArgs({
    index: local,
    count,
    fresh: state.fresh,
    port,
    datadir,
    runDir,
    extra: [...bind, ...(extra ?? [])],
  });
  const { cmd, args } = inNs(state.net, name, MARIADBD, own);
  const log = join(runDir, 'mysqld.out');
  const pid = spawnDetached(cmd, args, log);
  const node: LabNode = {
    name,
    host,
    port,
    socket: join(runDir, 'mysqld.sock'),
    pid,
    serverId: i,
    datadir,
  };
  state.nodes.push(node);
  state.procs = { ...state.procs, [name]: { cmd, args, log } };
  writeState(state);
  await waitMariadb(node.socket, pid);
  return node;
}

export async function launchSip(
  state: LabState,
  i: number,
  opts: { firstStage?: { host: string; port: number } } = {},
): Promise<LabSip> {
  const name = `p${i}`;
  const node = state.nodes[i - 1]!;
  const runDir = join(state.dir, name);
  mkdirSync(runDir, { recursive: true });
  // The first stage's port is chosen before it listens: keep clear of it.
  const taken = (p: number) => p === opts.firstStage?.port;
  let sipPort = await freePort();
  while (taken(sipPort)) sipPort = await freePort();
  let rpcPort = await freePort();
  while (rpcPort === sipPort || taken(rpcPort)) rpcPort = await freePort();
  const cfg = join(runDir, 'kamailio.cfg');
  // In a fresh lab only d1 has the schema: a cluster would only add nodes that cannot serve.
  const db = sipDb(state, node.name, state.fresh ? 'single-url' : (state.dbPolicy ?? 'co-located'));
  const host = state.net?.members[name]?.ip ?? '127.0.0.1';
  const authSecret = createHash('sha256')
    .update(`nonce:${state.db.kamailio.password}`)
    .digest('hex')
    .slice(0, 32);
  const vars = { name, node: node.name, serverId: i, sipPort, rpcPort, domain: state.domain, listen: host };
  writeFileSync(
    cfg,
    renderConfig({
      ...vars,
      dbUrl: db.url,
      dbCluster: db.block,
      dbTimeout: db.timeout,
      authSecret,
      // Galera: only the first SIP server purges expired registrations.
      ulTimer: state.galera && i > 1 ? 0 : 60,
      firstStage: opts.firstStage,
    }),
    { mode: 0o600 },
  );
  const { cmd, args } = inNs(state.net, name, KAMAILIO, kamailioArgs(cfg, runDir));
  const log = join(runDir, 'kamailio.log');
  const pid = spawnDetached(cmd, args, log);
  const rpcUrl = `http://${host}:${rpcPort}/RPC`;
  const sip: LabSip = {
    name,
    host,
    udp: sipPort,
    tcp: sipPort,
    rpc: rpcPort,
    rpcUrl,
    node: node.name,
    serverId: i,
    pid,
  };
  state.sip.push(sip);
  state.procs = { ...state.procs, [name]: { cmd, args, log } };
  writeState(state);
  await waitKamailio(sipPort, rpcUrl, pid, 30_000, host);
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
  if (sip) await waitKamailio(sip.udp, sip.rpcUrl, sip.pid, 30_000, sip.host);
}
