// Which database nodes each SIP server uses, in order, under the two policies an operator
// chooses between. Pure, and free of `server-only`: the lab renders Kamailio's db_cluster
// configuration from the same order the console shows and checks.

export type DbPolicy = 'co-located' | 'single-writer';

/**
 * A connection disabled for longer than this was taken out by the console (a fence, for years);
 * db_cluster's own inactivity after a failure is short (its inactive_interval).
 */
export const CONSOLE_DISABLED_ABOVE_S = 86400;

export const DB_POLICY_WORDS: Record<DbPolicy, string> = {
  'co-located':
    'co-located: each SIP server uses its own site’s node first (the paper’s P1→D1, P2→D2); two writers at once',
  'single-writer':
    'single writer: every SIP server writes to the console’s first node first, so only one node takes writes',
};

/**
 * co-located: the server's own node, then the others in list order. single-writer: the list
 * order (the console's active node first), the same for every server.
 */
export function dbOrder(opts: { policy: DbPolicy; nodes: string[]; own: string }): string[] {
  if (opts.policy === 'single-writer' || !opts.nodes.includes(opts.own)) return [...opts.nodes];
  return [opts.own, ...opts.nodes.filter((n) => n !== opts.own)];
}

/**
 * db_cluster's cluster definition: connection ids are the node names, priorities 9, 8, … in
 * order, serial ('s') for reads and writes (try the first, on failure the next).
 */
export function clusterDefinition(order: string[]): string {
  if (order.length === 0 || order.length > 9) throw new Error('db_cluster takes 1 to 9 connections');
  return order.map((n, i) => `${n}=${9 - i}s${9 - i}s`).join(';');
}
