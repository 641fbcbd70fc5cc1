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

/** `my_print_defaults mysqld` output (`--key=value` lines) as settings, names as SHOW VARIABLES spells them. */
export function parseDefaults(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^--([A-Za-z0-9_.-]+)(?:=(.*))?$/.exec(line.trim());
    if (m) out[m[1]!.toLowerCase().replace(/-/g, '_')] = (m[2] ?? 'ON').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export interface GaleraPortSet {
  gcomm: number;
  ist: number;
  sst: number;
}

/** The ports a node will listen on for Galera, from its settings (Galera's defaults otherwise). */
export function portsOf(settings: Record<string, string>): GaleraPortSet {
  const opts = Object.fromEntries(
    (settings.wsrep_provider_options ?? '')
      .split(';')
      .map((o) => o.trim().split('=', 2) as [string, string | undefined])
      .filter(([k]) => k)
      .map(([k, v]) => [k.trim(), (v ?? '').trim()]),
  );
  const portIn = (v: string | undefined) => (v ? Number(/:(\d+)\s*$/.exec(v)?.[1]) || null : null);
  const gcomm = Number(opts.base_port) || portIn(opts['gmcast.listen_addr']) || 4567;
  return {
    gcomm,
    ist: portIn(opts['ist.recv_addr']) ?? gcomm + 1,
    sst: portIn(settings.wsrep_sst_receive_address) ?? 4444,
  };
}

export interface BootstrapEvidence {
  node: string;
  /** The node answers SQL and reports a Galera state: it belongs to a running cluster. */
  member: {
    localState: string;
    clusterStatus: string;
    clusterSize: number;
    uuid: string;
    seqno: number;
  } | null;
  /** Each Galera port and whether something listens on it now (null: no answer either way). */
  ports: { name: keyof GaleraPortSet; host: string; port: number; listening: boolean | null }[];
}

/**
 * What must hold besides the settings before a new cluster is formed: no node belongs to a
 * running cluster, no Galera port is taken, and the SST account exists on the node that will
 * donate (the first), whose data every other node receives.
 */
export function bootstrapItems(
  nodes: BootstrapEvidence[],
  sst: { node: string; user: string | null; exists: boolean | null },
): PreflightItem[] {
  const items: PreflightItem[] = [];
  for (const n of nodes) {
    const m = n.member;
    items.push({
      node: n.node,
      setting: 'cluster membership',
      want: 'none (not part of a running cluster)',
      have: m
        ? `${m.localState} in a ${m.clusterStatus} component of ${m.clusterSize} (state ${m.uuid}, seqno ${m.seqno}): it belongs to a running cluster; join the others to it instead`
        : 'none',
      ok: !m,
    });
    for (const p of n.ports)
      items.push({
        node: n.node,
        setting: `${p.name} port ${p.host}:${p.port}`,
        want: 'free',
        have: p.listening === null ? 'no answer (cannot tell)' : p.listening ? 'in use' : 'free',
        ok: p.listening !== true,
      });
  }
  items.push({
    node: sst.node,
    setting: 'SST account',
    want: `${sst.user ?? 'the wsrep_sst_auth user'} exists on ${sst.node}, the first donor`,
    have:
      sst.user === null
        ? 'wsrep_sst_auth is empty'
        : sst.exists === null
          ? 'unknown (the node did not answer)'
          : sst.exists
            ? 'exists'
            : 'missing',
    ok: sst.user !== null && sst.exists === true,
  });
  return items;
}
