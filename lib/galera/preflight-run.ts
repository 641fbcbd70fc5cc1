import 'server-only';
import { sql } from 'kysely';
import { getConnectionList } from '@/lib/db';
import { type NodeSettings, PREFLIGHT_VARS, preflight } from './preflight';

/** Reads the settings the preflight checks from every node that answers (1 s each). */
export async function getPreflight() {
  const list = await getConnectionList();
  const nodes: NodeSettings[] = await Promise.all(
    list.nodes.map(async (n) => {
      const vars = await list
        .on(n)
        .run(async (db) => {
          const r = await sql<{
            Variable_name: string;
            Value: string;
          }>`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${sql.join(PREFLIGHT_VARS)})`.execute(db);
          return Object.fromEntries(r.rows.map((x) => [x.Variable_name.toLowerCase(), String(x.Value)]));
        }, 1000)
        .catch(() => null);
      return { node: n.handle.name, host: n.handle.config.host, vars };
    }),
  );
  const name = nodes.find((n) => n.vars?.wsrep_cluster_name)?.vars?.wsrep_cluster_name ?? 'sipha';
  return preflight(nodes, { name, gcommPort: 4567 });
}
