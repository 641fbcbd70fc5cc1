import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import { up as shardTables } from '../lib/db/migrations/014-shards.ts';
import { ownerByRange, type ShardRange } from '../lib/shards/placement.ts';
import { routeRows } from '../lib/shards/routes.ts';
import { digestHashes } from '../lib/users/hash.ts';
import { launchFirstStage } from './first-stage.ts';
import { query } from './mariadb.ts';
import { launchNode, launchSip } from './nodes.ts';
import { freePort } from './ports.ts';
import { createUsers, setupReplication, waitReplicated } from './replication.ts';
import { createSchema, seedUsers } from './schema.ts';
import { type LabNode, type LabState, writeState } from './state.ts';

// `lab up --clusters K` (issue 14): K clusters c1..cK, each N nodes replicating among themselves
// (a pair by default) with one Kamailio per node, and a first stage f1 in front of them all.
// Node and SIP server names run on across clusters (d1..dKN, p1..pKN).

export const clusterName = (k: number) => `c${k}`;

/** The lab's first map: the 100 seed users split evenly into K ranges of the user part. */
export function labRanges(k: number, seeds = 100): ShardRange[] {
  return Array.from({ length: k }, (_, i) => ({
    from: i === 0 ? '' : `user${1000 + Math.floor((i * seeds) / k)}`,
    cluster: clusterName(i + 1),
  }));
}

type Step = <T>(what: (r: T) => string, fn: () => Promise<T>) => Promise<T>;

export async function startClusters(
  state: LabState,
  opts: { clusters: number; perCluster: number; sip: boolean },
  step: Step,
): Promise<void> {
  const { clusters: k, perCluster: n } = opts;
  state.clusters = [];
  for (let c = 1; c <= k; c++) {
    const members: LabNode[] = [];
    for (let j = 1; j <= n; j++) {
      const i = (c - 1) * n + j;
      members.push(
        await step(
          (x) => `d${i} (${clusterName(c)}) on 127.0.0.1:${x.port}`,
          () => launchNode(state, i, n, undefined, j),
        ),
      );
    }
    state.clusters.push({ name: clusterName(c), nodes: members.map((m) => m.name), sip: [] });
    writeState(state);
    await step(
      () => `${clusterName(c)}: users, replication, schema`,
      async () => {
        for (const m of members) await createUsers(m, state.db);
        if (n > 1) await setupReplication(members, state.db.repl);
        await createSchema(members[0]!);
      },
    );
  }
  const ranges = labRanges(k);
  await step(
    () => `shard map version 1 and seed users spread over ${k} clusters`,
    async () => {
      await writeLabMap(state, ranges);
      for (const [idx, c] of state.clusters!.entries()) {
        const first = state.nodes.find((x) => x.name === c.nodes[0])!;
        await seedOwned(first, state.domain, (u) => ownerByRange(ranges, u) === clusterName(idx + 1));
        await waitReplicated(state.nodes.filter((x) => c.nodes.includes(x.name)));
      }
    },
  );
  if (!opts.sip) return;
  // Every SIP server knows the first stage (calls pass it twice), so its port comes first.
  const firstStage = { host: '127.0.0.1', port: await freePort() };
  for (const [idx, node] of state.nodes.entries()) {
    const s = await step(
      (x) => `p${idx + 1} SIP on 127.0.0.1:${x.udp}`,
      () => launchSip(state, idx + 1, { firstStage }),
    );
    state.clusters.find((c) => c.nodes.includes(node.name))!.sip.push(s.name);
  }
  writeState(state);
  await step(
    (f) => `f1 first stage on 127.0.0.1:${f.udp}, RPC ${f.rpcUrl}`,
    () => launchFirstStage(state, firstStage.port),
  );
}

async function seedOwned(node: LabNode, domain: string, owns: (u: string) => boolean): Promise<void> {
  const rows = seedUsers(100)
    .filter((u) => owns(u.username))
    .map((u) => {
      const h = digestHashes({ username: u.username, domain, password: u.password });
      return [u.username, domain, '', h.ha1, h.ha1b];
    });
  if (rows.length)
    await query(
      node.socket,
      'INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ?',
      [rows],
    );
}

/** The shard tables on the home cluster with version 1, compiled as the console compiles them. */
async function writeLabMap(state: LabState, ranges: ShardRange[]): Promise<void> {
  const home = state.nodes[0]!;
  const db = new Kysely<unknown>({
    dialect: new MysqlDialect({
      pool: createPool({ socketPath: home.socket, user: 'root', database: 'kamailio', connectionLimit: 1 }),
    }),
  });
  try {
    await shardTables(db);
  } finally {
    await db.destroy();
  }
  const names = state.clusters!.map((c) => c.name);
  const rows = routeRows(ranges, [], names).map((r) => [r.key_name, r.key_value]);
  await query(
    home.socket,
    `INSERT INTO kamailio.sipha_shard_version (version, ranges, reason, actor) VALUES (1, ?, 'lab: seed users split evenly', 'lab');
     INSERT INTO kamailio.sipha_shard_route (key_name, key_value) VALUES ?`,
    [JSON.stringify(ranges), rows],
  );
  await waitReplicated(state.nodes.filter((x) => state.clusters![0]!.nodes.includes(x.name)));
}
