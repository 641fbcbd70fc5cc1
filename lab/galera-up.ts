import { randomBytes } from 'node:crypto';
import {
  type GaleraPlan,
  galeraPorts,
  gcommAddress,
  launchGaleraNode,
  launchStandalone,
  prepareGaleraNode,
} from './galera.ts';
import { launchArbitrator } from './garbd.ts';
import { query } from './mariadb.ts';
import { member } from './netns.ts';
import { launchSip } from './nodes.ts';
import { freePort } from './ports.ts';
import { createUsers } from './replication.ts';
import { createSchema, seed } from './schema.ts';
import { type LabNode, type LabState, writeState } from './state.ts';

type Step = <T>(what: (r: T) => string, fn: () => Promise<T>) => Promise<T>;

/**
 * `up --engine galera`: d1 forms a new cluster (--wsrep-new-cluster), gets the accounts,
 * Kamailio's schema and the seed users, then d2… join one at a time by SST (mariabackup) from
 * it. One Kamailio per node; only p1 purges expired `location` rows (see kamailio.ts).
 * With an arbitrator there are two data nodes and garbd. With `bootstrap: false` the nodes are
 * only configured (see upUnbootstrapped). With --netns (state.net) each node and garbd listen on
 * their namespace's address, and the accounts are for the lab's bridge.
 */
export async function upGalera(
  state: LabState,
  opts: { nodes: number; arbitrator?: boolean; sip?: boolean; bootstrap?: boolean },
  step: Step,
): Promise<void> {
  const count = opts.arbitrator ? 2 : opts.nodes;
  if (count < 2 && !opts.arbitrator) throw new Error('a Galera lab needs --nodes 2 or more');
  state.db.sst = { user: 'sst', password: randomBytes(12).toString('base64url') };
  const plans: GaleraPlan[] = [];
  for (let i = 1; i <= count; i++) {
    let port = await freePort();
    const ports = await galeraPorts();
    while ([ports.gcomm, ports.ist, ports.sst].includes(port)) port = await freePort();
    const host = state.net ? member(state.net, `d${i}`).ip : '127.0.0.1';
    plans.push({ name: `d${i}`, index: i, host, port, ports });
  }
  state.galera = { ports: Object.fromEntries(plans.map((p) => [p.name, p.ports])) };
  writeState(state);
  if (opts.bootstrap === false) return upUnbootstrapped(state, plans, step);
  const first = await step(
    (n) => `d1 bootstrapped a new cluster on ${n.host}:${n.port} (gcomm ${plans[0]!.ports.gcomm})`,
    () => launchGaleraNode(state, plans[0]!, plans, true),
  );
  await step(
    () => 'database users, SST account, kamailio schema and 100 users on d1',
    async () => {
      await createAccounts(first, state);
      await createSchema(first);
      await seed(first, state.domain);
    },
  );
  for (const plan of plans.slice(1))
    await step(
      (n) => `${plan.name} joined by SST on ${n.host}:${n.port} (gcomm ${plan.ports.gcomm})`,
      () => launchGaleraNode(state, plan, plans, false),
    );
  if (opts.arbitrator)
    await step(
      () => 'garbd joined as the third vote',
      () => launchArbitrator(state, plans.map(gcommAddress)),
    );
  if (opts.sip ?? true)
    for (let i = 1; i <= count; i++)
      await step(
        (s) =>
          `p${i} SIP on ${s.host}:${s.udp} via ${state.nodes[i - 1]!.name}${i === 1 ? ', purges expired' : ''}`,
        () => launchSip(state, i),
      );
}

async function createAccounts(node: LabNode, state: LabState): Promise<void> {
  // With --netns the console and the SIP servers connect from their addresses on the bridge.
  await createUsers(node, state.db, state.net ? `${state.net.prefix}.%` : '127.0.0.1');
  const sst = state.db.sst!;
  await query(
    node.socket,
    `CREATE USER IF NOT EXISTS ?@'localhost' IDENTIFIED BY ?;
     GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO ?@'localhost';`,
    [sst.user, sst.password, sst.user],
  );
}

/**
 * `up --engine galera --no-bootstrap`: every node has its datadir and its my.cnf with the
 * Galera lines, but no cluster exists. d1 runs as a plain server with the accounts and an empty
 * `kamailio` database (where the console keeps its own tables); the others do not run. An
 * operator bootstraps the cluster from the console (/galera), which also creates Kamailio's
 * schema; no SIP server starts, as there is no schema for it yet.
 */
async function upUnbootstrapped(state: LabState, plans: GaleraPlan[], step: Step): Promise<void> {
  const nodes = plans.map((p) => prepareGaleraNode(state, p, plans));
  await step(
    (n) => `d1 runs without Galera (wsrep off) on ${n.host}:${n.port}, with the accounts`,
    async () => {
      const d1 = await launchStandalone(state, nodes[0]!);
      await createAccounts(d1, state);
      await query(d1.socket, 'CREATE DATABASE IF NOT EXISTS kamailio');
      return d1;
    },
  );
  await step(
    () =>
      `${plans.map((p) => p.name).join(', ')} configured (my.cnf) as a cluster to bootstrap from the console`,
    async () => undefined,
  );
}
