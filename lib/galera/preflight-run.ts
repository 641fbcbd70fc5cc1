import 'server-only';
import { sql } from 'kysely';
import { getConfig } from '@/lib/config/load';
import { getConnectionList } from '@/lib/db';
import type { ConnectionList } from '@/lib/db/connection-list';
import { runControl, unlogged } from './control';
import { type NodeSettings, PREFLIGHT_VARS, parseDefaults, portsOf, preflight } from './preflight';

/**
 * The settings a node will run Galera with: its my.cnf as the server reads it, through the
 * node's `config` command when one is configured (it also answers for a node that does not run);
 * else what the running server reports (1 s). Null when neither answers.
 */
export async function nodeSettings(
  list: ConnectionList,
  node: string,
): Promise<Record<string, string> | null> {
  if (getConfig().galera?.control[node]?.config) {
    const text = await runControl(node, 'config', unlogged, 10_000).catch(() => null);
    return text === null ? null : parseDefaults(text);
  }
  return list
    .on(node)
    .run(async (db) => {
      const r = await sql<{
        Variable_name: string;
        Value: string;
      }>`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${sql.join(PREFLIGHT_VARS)})`.execute(db);
      return Object.fromEntries(r.rows.map((x) => [x.Variable_name.toLowerCase(), String(x.Value)]));
    }, 1000)
    .catch(() => null);
}

/** The preflight shown on the page (no setting's value beyond the ones it checks). */
export async function getPreflight() {
  return (await readPreflight(await getConnectionList())).result;
}

/** Reads the settings the preflight checks from every node (see nodeSettings); server-side only. */
export async function readPreflight(list: ConnectionList) {
  const read = await Promise.all(
    list.nodes.map(async (n) => ({ n, vars: await nodeSettings(list, n.handle.name) })),
  );
  const nodes: NodeSettings[] = read.map(({ n, vars }) => ({
    node: n.handle.name,
    host: n.handle.config.host,
    vars,
  }));
  const name = nodes.find((n) => n.vars?.wsrep_cluster_name)?.vars?.wsrep_cluster_name ?? 'sipha';
  const first = nodes.find((n) => n.vars)?.vars;
  return {
    result: preflight(nodes, { name, gcommPort: first ? portsOf(first).gcomm : 4567 }),
    settings: read.map((r) => ({ node: r.n.handle.name, host: r.n.handle.config.host, vars: r.vars })),
  };
}
