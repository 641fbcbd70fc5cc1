import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatadir, MARIADBD, nodeArgs, query, waitMariadb } from './mariadb.ts';
import { inNs } from './netns.ts';
import { freePort } from './ports.ts';
import { spawnDetached, waitUntil } from './process.ts';
import { type LabNode, type LabState, writeState } from './state.ts';

export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
export const CLUSTER_NAME = 'sipha-lab';

export interface GaleraPorts {
  gcomm: number;
  ist: number;
  sst: number;
}

/**
 * Short timeouts for one machine: a killed or stopped node is suspected after 1 s and dropped
 * after 3 s, so the survivors form a new primary component quickly. Defaults (5 s / 15 s) suit
 * real networks; the console's health page shows what a cluster uses.
 */
export const EVS_OPTIONS =
  'evs.keepalive_period=PT0.2S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT1S;evs.inactive_timeout=PT3S;evs.install_timeout=PT2S;evs.join_retrans_period=PT0.2S';

/** `host`: the node's own address, 127.0.0.1 or its namespace's address with --netns. */
export function providerOptions(p: GaleraPorts, host = '127.0.0.1'): string {
  return [
    `base_port=${p.gcomm}`,
    `gmcast.listen_addr=tcp://${host}:${p.gcomm}`,
    `ist.recv_addr=${host}:${p.ist}`,
    'gcache.size=64M',
    EVS_OPTIONS,
  ].join(';');
}

/** The wsrep lines of one node's my.cnf: what the console's bootstrap preflight checks too. */
export function wsrepLines(o: {
  name: string;
  /** The node's own address (default 127.0.0.1). */
  host?: string;
  port: number;
  ports: GaleraPorts;
  /** Every member's group communication address, `host:port`. */
  peers: string[];
  sst: { user: string; password: string };
}): string[] {
  const host = o.host ?? '127.0.0.1';
  return [
    'wsrep_on=ON',
    `wsrep_provider=${GALERA_PROVIDER}`,
    `wsrep_cluster_name=${CLUSTER_NAME}`,
    `wsrep_cluster_address=gcomm://${o.peers.join(',')}`,
    `wsrep_node_name=${o.name}`,
    `wsrep_node_address=${host}`,
    `wsrep_node_incoming_address=${host}:${o.port}`,
    `wsrep_sst_receive_address=${host}:${o.ports.sst}`,
    'wsrep_sst_method=mariabackup',
    `wsrep_sst_auth=${o.sst.user}:${o.sst.password}`,
    `wsrep_provider_options="${providerOptions(o.ports, host)}"`,
    // Kamailio's db_mysql does not retry a certification conflict (1213): the server does,
    // for autocommit statements, up to this many times.
    'wsrep_retry_autocommit=4',
    'wsrep_slave_threads=2',
    'binlog_format=ROW',
    'innodb_autoinc_lock_mode=2',
    'default_storage_engine=InnoDB',
  ];
}

export async function galeraPorts(): Promise<GaleraPorts> {
  const taken = new Set<number>();
  const next = async () => {
    let p = await freePort();
    while (taken.has(p)) p = await freePort();
    taken.add(p);
    return p;
  };
  return { gcomm: await next(), ist: await next(), sst: await next() };
}

export interface GaleraPlan {
  name: string;
  index: number;
  /** Where it listens: 127.0.0.1, or its namespace's address on the lab's bridge (--netns). */
  host: string;
  port: number;
  ports: GaleraPorts;
}

/** A member's group communication address (gcomm://…), for the nodes and garbd. */
export const gcommAddress = (p: GaleraPlan) => `${p.host}:${p.ports.gcomm}`;

/** Writes d{i}/my.cnf (0600: it holds the SST password) and returns the mariadbd arguments. */
export function writeNodeCnf(state: LabState, plan: GaleraPlan, all: GaleraPlan[]): string[] {
  const runDir = join(state.dir, plan.name);
  const datadir = join(runDir, 'data');
  const base = nodeArgs({
    index: plan.index,
    count: all.length,
    fresh: true,
    port: plan.port,
    datadir,
    runDir,
  });
  const sst = state.db.sst ?? { user: 'sst', password: '' };
  const lines = [
    '[mysqld]',
    ...base
      .filter((a) => a !== '--no-defaults')
      .map((a) => (a.startsWith('--bind-address=') ? `bind-address=${plan.host}` : a.slice(2))),
    ...wsrepLines({
      name: plan.name,
      host: plan.host,
      port: plan.port,
      ports: plan.ports,
      peers: all.map(gcommAddress),
      sst,
    }),
    // Galera's own state and state-transfer progress as JSON (read by `galera-ctl progress`);
    // outside the datadir, which an SST empties.
    `wsrep_status_file=${join(runDir, 'wsrep_status.json')}`,
    '',
  ];
  const cnf = join(runDir, 'my.cnf');
  writeFileSync(cnf, lines.join('\n'), { mode: 0o600 });
  return [`--defaults-file=${cnf}`];
}

/**
 * d{i}'s datadir and my.cnf, recorded in the lab's state as a node that does not run yet
 * (pid 0); `lab start` and the console's control commands start it as a Galera node, in its
 * namespace with --netns (the recorded command line is `ip netns exec NS mariadbd …`).
 */
export function prepareGaleraNode(state: LabState, plan: GaleraPlan, all: GaleraPlan[]): LabNode {
  const runDir = join(state.dir, plan.name);
  const datadir = join(runDir, 'data');
  createDatadir(datadir);
  const args = writeNodeCnf(state, plan, all);
  const node: LabNode = {
    name: plan.name,
    host: plan.host,
    port: plan.port,
    socket: join(runDir, 'mysqld.sock'),
    pid: 0,
    serverId: plan.index,
    datadir,
  };
  state.nodes.push(node);
  // `lab start` never bootstraps: a restarted node joins the cluster that is there.
  state.procs = {
    ...state.procs,
    [plan.name]: { ...inNs(state.net, plan.name, MARIADBD, args), log: join(runDir, 'mysqld.out') },
  };
  writeState(state);
  return node;
}

/** Starts d{i} on its datadir; `bootstrap` forms a new cluster (only the first node, once). */
export async function launchGaleraNode(
  state: LabState,
  plan: GaleraPlan,
  all: GaleraPlan[],
  bootstrap: boolean,
): Promise<LabNode> {
  const node = prepareGaleraNode(state, plan, all);
  const proc = state.procs![plan.name]!;
  node.pid = spawnDetached(proc.cmd, bootstrap ? [...proc.args, '--wsrep-new-cluster'] : proc.args, proc.log);
  writeState(state);
  await waitMariadb(node.socket, node.pid, 180_000);
  await waitSynced(node);
  return node;
}

/**
 * `up --engine galera --no-bootstrap`: d1 runs as a plain server (its my.cnf's Galera lines
 * overridden by --wsrep-on=OFF on the command line), holding the accounts and the console's
 * tables, until an operator bootstraps the cluster from the console.
 */
export async function launchStandalone(state: LabState, node: LabNode): Promise<LabNode> {
  const proc = state.procs![node.name]!;
  node.pid = spawnDetached(proc.cmd, [...proc.args, '--wsrep-on=OFF'], proc.log);
  writeState(state);
  await waitMariadb(node.socket, node.pid, 180_000);
  return node;
}

export async function wsrepStatus(node: LabNode): Promise<Record<string, string>> {
  const rows = await query<{ Variable_name: string; Value: string }>(
    node.socket,
    "SHOW GLOBAL STATUS LIKE 'wsrep_%'",
  );
  return Object.fromEntries(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
}

export async function waitSynced(node: LabNode, timeoutMs = 180_000): Promise<void> {
  await waitUntil(
    `${node.name} to be Synced in the primary component`,
    async () => {
      const s = await wsrepStatus(node);
      return s.wsrep_local_state_comment === 'Synced' && s.wsrep_cluster_status === 'Primary';
    },
    timeoutMs,
  );
}
