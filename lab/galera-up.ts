import { randomBytes } from 'node:crypto';
import { type GaleraPlan, galeraPorts, launchGaleraNode } from './galera.ts';
import { launchArbitrator } from './garbd.ts';
import { query } from './mariadb.ts';
import { launchSip } from './nodes.ts';
import { freePort } from './ports.ts';
import { createUsers } from './replication.ts';
import { createSchema, seed } from './schema.ts';
import { type LabState, writeState } from './state.ts';

type Step = <T>(what: (r: T) => string, fn: () => Promise<T>) => Promise<T>;

/**
 * `up --engine galera`: d1 forms a new cluster (--wsrep-new-cluster), gets the accounts,
 * Kamailio's schema and the seed users, then d2… join one at a time by SST (mariabackup) from
 * it. One Kamailio per node; only p1 purges expired `location` rows (see kamailio.ts).
 * With an arbitrator there are two data nodes and garbd.
 */
export async function upGalera(
  state: LabState,
  opts: { nodes: number; arbitrator?: boolean; sip?: boolean },
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
    plans.push({ name: `d${i}`, index: i, port, ports });
  }
  state.galera = { ports: Object.fromEntries(plans.map((p) => [p.name, p.ports])) };
  writeState(state);
  const first = await step(
    (n) => `d1 bootstrapped a new cluster on 127.0.0.1:${n.port} (gcomm ${plans[0]!.ports.gcomm})`,
    () => launchGaleraNode(state, plans[0]!, plans, true),
  );
  await step(
    () => 'database users, SST account, kamailio schema and 100 users on d1',
    async () => {
      await createUsers(first, state.db);
      const sst = state.db.sst!;
      await query(
        first.socket,
        `CREATE USER IF NOT EXISTS ?@'localhost' IDENTIFIED BY ?;
         GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO ?@'localhost';`,
        [sst.user, sst.password, sst.user],
      );
      await createSchema(first);
      await seed(first, state.domain);
    },
  );
  for (const plan of plans.slice(1))
    await step(
      (n) => `${plan.name} joined by SST on 127.0.0.1:${n.port} (gcomm ${plan.ports.gcomm})`,
      () => launchGaleraNode(state, plan, plans, false),
    );
  if (opts.arbitrator)
    await step(
      () => 'garbd joined as the third vote',
      () =>
        launchArbitrator(
          state,
          plans.map((p) => p.ports.gcomm),
        ),
    );
  if (opts.sip ?? true)
    for (let i = 1; i <= count; i++)
      await step(
        (s) =>
          `p${i} SIP on 127.0.0.1:${s.udp} via ${state.nodes[i - 1]!.name}${i === 1 ? ', purges expired' : ''}`,
        () => launchSip(state, i),
      );
}
