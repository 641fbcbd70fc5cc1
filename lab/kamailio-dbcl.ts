import { clusterDefinition, type DbPolicy, dbOrder } from '../lib/sip/dbcl-order.ts';
import type { LabState } from './state.ts';

/** `single-url` is today's lab and the benchmark's baseline: one db_url per SIP server. */
export type LabDbPolicy = DbPolicy | 'single-url';

export const CLUSTER = 'sipha';
/** Seconds db_cluster skips a connection after a failure before it tries it again. */
export const INACTIVE_INTERVAL = 30;

export interface SipDb {
  /** What usrloc and auth_db get as db_url. */
  url: string;
  /** Lines for the template's {{DB_CLUSTER}} (a comment when there is no cluster). */
  block: string;
  /** db_mysql timeout_interval (seconds; the client library applies it per read and write). */
  timeout: number;
}

export function sipDb(state: LabState, own: string, policy: LabDbPolicy): SipDb {
  const { user, password } = state.db.kamailio;
  // A node's own address: 127.0.0.1, or its namespace's address with --netns.
  const url = (n: { host: string; port: number }) =>
    `mysql://${user}:${password}@${n.host}:${n.port}/kamailio`;
  if (policy === 'single-url') {
    const node = state.nodes.find((n) => n.name === own)!;
    return { url: url(node), block: '# one database: no db_cluster', timeout: 2 };
  }
  // With --clusters, only the nodes of the SIP server's own cluster: never another cluster's data.
  const members = state.clusters?.find((c) => c.nodes.includes(own))?.nodes ?? state.nodes.map((n) => n.name);
  const order = dbOrder({ policy, nodes: members, own });
  const lines = [
    `# db_cluster, policy ${policy}: ${order.join(', ')} in this order.`,
    'loadmodule "db_cluster.so"',
    ...order.map((name) => {
      const node = state.nodes.find((n) => n.name === name)!;
      return `modparam("db_cluster", "connection", "${name}=>${url(node)}")`;
    }),
    `modparam("db_cluster", "cluster", "${CLUSTER}=>${clusterDefinition(order)}")`,
    `modparam("db_cluster", "inactive_interval", ${INACTIVE_INTERVAL})`,
  ];
  return { url: `cluster://${CLUSTER}`, block: lines.join('\n'), timeout: 1 };
}
