import 'server-only';
import net from 'node:net';
import { sql } from 'kysely';
import { getConnectionList } from '@/lib/db';
import type { ConnectionList } from '@/lib/db/connection-list';
import { kamailioSchemaFiles } from '@/lib/db/kamailio-sql';
import { migrateToLatest } from '@/lib/db/migrate';
import { AppError } from '@/lib/errors';
import { runControl } from './control';
import type { JobLog } from './job';
import { shutdown, startAndSync, waitSynced } from './operations';
import { type BootstrapEvidence, bootstrapItems, type PreflightItem, portsOf } from './preflight';
import { readPreflight } from './preflight-run';
import { probeWsrep } from './probe';

// Forms a new Galera cluster from configured nodes: the preflight must pass, the first node is
// bootstrapped (--wsrep-new-cluster through its `bootstrap` command) with the data it holds, Kamailio's
// schema and the console's tables are created there, and the others join one at a time by SST.

/** Whether something accepts TCP connections on host:port (null: no answer within the time). */
function listening(host: string, port: number, timeoutMs = 700): Promise<boolean | null> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (v: boolean | null) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(null));
    s.once('connect', () => done(true));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? false : null));
  });
}

export interface BootstrapPreflight {
  ok: boolean;
  items: PreflightItem[];
  cnf: Record<string, string[]>;
}

/** The settings every node starts with, plus membership, ports and the SST account. */
export async function getBootstrapPreflight(): Promise<BootstrapPreflight> {
  const list = await getConnectionList();
  const { result, settings } = await readPreflight(list);
  const evidence: BootstrapEvidence[] = await Promise.all(
    settings.map(async (s): Promise<BootstrapEvidence> => {
      const r = await probeWsrep(list.node(s.node).handle.config, 1000);
      const st = r.ok ? r.status : null;
      const host = s.vars?.wsrep_node_address?.replace(/:\d+$/, '') || s.host;
      const ports = s.vars ? portsOf(s.vars) : null;
      return {
        node: s.node,
        member: st
          ? {
              localState: st.localState,
              clusterStatus: st.clusterStatus,
              clusterSize: st.clusterSize,
              uuid: st.clusterUuid,
              seqno: st.lastCommitted,
            }
          : null,
        ports: ports
          ? await Promise.all(
              (['gcomm', 'ist', 'sst'] as const).map(async (name) => ({
                name,
                host,
                port: ports[name],
                listening: await listening(host, ports[name]),
              })),
            )
          : [],
      };
    }),
  );
  const first = settings[0]!;
  const user = first.vars?.wsrep_sst_auth?.split(':')[0] || null;
  const exists = user
    ? await list
        .on(first.node)
        .run(async (db) => {
          const r = await sql<{
            n: number;
          }>`SELECT COUNT(*) AS n FROM mysql.user WHERE User = ${user}`.execute(db);
          return Number(r.rows[0]?.n ?? 0) > 0;
        }, 1000)
        .catch(() => null)
    : null;
  const items = [...result.items, ...bootstrapItems(evidence, { node: first.node, user, exists })];
  return { ok: items.every((i) => i.ok), items, cnf: result.cnf };
}

const itemWords = (i: PreflightItem) =>
  `${i.node}: ${i.setting} is ${i.have ?? 'not readable'}, needs ${i.want}`;

/** Kamailio's tables (the files whose tables are missing) and the console's, on the new cluster. */
async function createSchemas(list: ConnectionList, node: string, log: JobLog): Promise<void> {
  const have = new Set(
    (
      await list.on(node).run((db) =>
        sql<{
          t: string;
        }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()`.execute(db),
      )
    ).rows.map((r) => String(r.t).toLowerCase()),
  );
  for (const f of kamailioSchemaFiles()) {
    if (f.tables.some((t) => have.has(t.toLowerCase()))) {
      log('info', `${node}: Kamailio's ${f.file} is already there (${f.tables.join(', ')}); left as it is.`);
      continue;
    }
    for (const statement of f.statements) {
      log('sql', `${node}: ${statement.split('\n')[0]}${statement.includes('\n') ? ' …' : ''}`);
      await list.on(node).run((db) => sql.raw(statement).execute(db));
    }
  }
  log('sql', `${node}: the console's own tables (sipha_*), by its migrations`);
  await list.write({ run: (db) => migrateToLatest(db as never) });
}

/** The node the console writes to, once it has chosen one (its probes run every round). */
async function waitWriter(list: ConnectionList, node: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (list.active()?.handle.name === node) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new AppError(
    'failed:database',
    `The console did not choose ${node} as the writer within ${timeoutMs / 1000} s.`,
  );
}

export async function bootstrapCluster(log: JobLog): Promise<string> {
  const t0 = Date.now();
  const list = await getConnectionList();
  log('info', 'Preflight: settings per node, cluster membership, Galera ports, SST account.');
  const pf = await getBootstrapPreflight();
  const bad = pf.items.filter((i) => !i.ok);
  if (bad.length > 0) {
    for (const i of bad) log('error', itemWords(i));
    throw new AppError('conflict:state', `Refused, nothing was changed: ${bad.map(itemWords).join('; ')}.`);
  }
  log('info', `Preflight passed (${pf.items.length} checks).`);
  const names = list.nodes.map((n) => n.handle.name);
  const first = names[0]!;
  // A node running without Galera is stopped: the first restarts as the new cluster with its
  // data; the others' data is replaced by the state transfer from it.
  for (const node of names)
    if ((await probeWsrep(list.node(node).handle.config, 1000)).ok) await shutdown(list, node, log);
  await runControl(first, 'bootstrap', log);
  await waitSynced(list, first, log);
  await waitWriter(list, first);
  log('info', `${first} formed a new cluster (Primary, Synced) and takes writes.`);
  await createSchemas(list, first, log);
  for (const node of names.slice(1)) await startAndSync(list, node, log);
  return `New cluster of ${names.length} formed from ${first} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${names.join(', ')} Synced.`;
}
