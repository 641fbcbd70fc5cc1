// Before bootstrapping a cluster from configured nodes (pure, unit-tested): the settings each
// node must have, checked against what it reports, and the my.cnf lines that would fix it.

export interface NodeSettings {
  node: string;
  host: string;
  /** SHOW GLOBAL VARIABLES for the names below, lower-cased; null when the node did not answer. */
  vars: Record<string, string> | null;
}

export interface PreflightItem {
  node: string;
  setting: string;
  want: string;
  have: string | null;
  ok: boolean;
}

export const PREFLIGHT_VARS = [
  'wsrep_on',
  'wsrep_provider',
  'wsrep_cluster_name',
  'wsrep_cluster_address',
  'wsrep_sst_method',
  'wsrep_sst_auth',
  'binlog_format',
  'innodb_autoinc_lock_mode',
  'default_storage_engine',
];

export function preflight(nodes: NodeSettings[], cluster: { name: string; gcommPort: number }) {
  const address = `gcomm://${nodes.map((n) => `${n.host}:${cluster.gcommPort}`).join(',')}`;
  const want: Record<string, string> = {
    wsrep_on: 'ON',
    wsrep_provider: '/usr/lib/galera/libgalera_smm.so',
    wsrep_cluster_name: cluster.name,
    wsrep_sst_method: 'mariabackup',
    binlog_format: 'ROW',
    innodb_autoinc_lock_mode: '2',
    default_storage_engine: 'InnoDB',
  };
  const items: PreflightItem[] = [];
  const cnf: Record<string, string[]> = {};
  for (const n of nodes) {
    const v = n.vars;
    for (const [setting, w] of Object.entries(want)) {
      const have = v ? (v[setting] ?? null) : null;
      items.push({
        node: n.node,
        setting,
        want: w,
        have,
        ok: have !== null && have.toLowerCase() === w.toLowerCase(),
      });
    }
    // Any address naming every member is fine (ports may differ); an empty one joins nothing.
    const addr = v?.wsrep_cluster_address ?? null;
    const members =
      addr
        ?.replace(/^gcomm:\/\//, '')
        .split(',')
        .filter(Boolean).length ?? 0;
    items.push({
      node: n.node,
      setting: 'wsrep_cluster_address',
      want: address,
      have: addr,
      ok: members === nodes.length,
    });
    // The SST account is shown as set or not, never as its value.
    const auth = v?.wsrep_sst_auth ?? '';
    items.push({
      node: n.node,
      setting: 'wsrep_sst_auth',
      want: 'user:password of the SST account',
      have: auth ? 'set' : 'empty',
      ok: auth !== '',
    });
    cnf[n.node] = [
      '[mysqld]',
      ...Object.entries(want).map(([k, w]) => `${k}=${w}`),
      `wsrep_cluster_address=${address}`,
      `wsrep_node_name=${n.node}`,
      `wsrep_node_address=${n.host}`,
      'wsrep_sst_auth=sst:CHANGE-ME',
      'wsrep_retry_autocommit=4',
    ];
  }
  return { ok: items.every((i) => i.ok), items, cnf };
}
