import { z } from 'zod';
import { dnsConfigSchema } from './dns-schema';

// The shape of sipha.config.json. Kept free of `server-only` so that the lab (plain Node)
// can write a config the console will accept; loading and secrets live in ./load.ts.

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'a host name or IP address');

export const nodeConfigSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case name such as d1'),
  host: hostName,
  port: z.coerce.number().int().min(1).max(65535).default(3306),
  user: z.string().min(1).max(80),
  password: z.string().max(200).default(''),
  database: z.string().min(1).max(64).default('kamailio'),
});

export const sipServerConfigSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case name such as p1'),
  host: hostName,
  udpPort: z.coerce.number().int().min(1).max(65535).optional(),
  tcpPort: z.coerce.number().int().min(1).max(65535).optional(),
  rpcUrl: z.url().optional(),
  serverId: z.coerce.number().int().min(0),
  node: z.string(),
});

const argv = z.array(z.string().min(1).max(4096)).min(1).max(64);

/** How the console reaches a Galera node's host when SQL cannot (full outage, restarts). */
export const galeraControlSchema = z.object({
  /** Prints grastate.dat. */
  state: argv,
  /** Runs mariadbd --wsrep-recover and prints its output (the "Recovered position" line). */
  recover: argv,
  /** Sets safe_to_bootstrap: 1 in grastate.dat. */
  markSafe: argv,
  /** Starts the node forming a new cluster (--wsrep-new-cluster, galera_new_cluster). */
  bootstrap: argv,
  /** Starts the node normally: it joins the cluster by IST or SST. */
  start: argv,
  /** Prints the options the server starts with (`my_print_defaults mysqld`): the bootstrap preflight. */
  config: argv.optional(),
  /** Prints the node's wsrep_status_file (JSON, with Galera's state-transfer progress). */
  progress: argv.optional(),
  /**
   * Prints the bytes the node has received of an SST so far: `du -sb <datadir>/.sst`, where
   * wsrep_sst_mariabackup receives the stream. Gives an SST a percentage.
   */
  sstReceived: argv.optional(),
});

/** Present when the nodes form a Galera cluster rather than a replicated pair or ring. */
export const galeraConfigSchema = z.object({
  failback: z.enum(['auto', 'manual']).default('auto'),
  /** A returning node must stay Synced this long before it takes writes back (auto). */
  failbackAfterMs: z.coerce.number().int().min(0).max(600_000).default(3000),
  /** Certification conflicts (1213) retried for writes that are one transaction. */
  conflictRetries: z.coerce.number().int().min(0).max(10).default(3),
  control: z.record(z.string(), galeraControlSchema).default({}),
});

// Clusters (issue 14): `clusters[]` names every cluster; without it the top-level `nodes` and
// `sipServers` are the one cluster "default". After parsing, `clusters` is always filled and the
// top-level keys hold the first (home) cluster, where the console keeps its own tables.
export const clusterConfigSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case name such as a'),
  nodes: z.array(nodeConfigSchema).min(1),
  sipServers: z.array(sipServerConfigSchema).default([]),
});

export const firstStageConfigSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case name such as f1'),
  host: hostName,
  udpPort: z.coerce.number().int().min(1).max(65535),
  rpcUrl: z.url(),
});

const baseConfigSchema = z
  .object({
    nodes: z.array(nodeConfigSchema).min(1),
    sipServers: z.array(sipServerConfigSchema).default([]),
    clusters: z.array(clusterConfigSchema).min(1).optional(),
    firstStages: z.array(firstStageConfigSchema).default([]),
    domains: z.array(hostName).min(1),
    /**
     * Kamailio's db_cluster on every SIP server: the cluster's name in its configuration and
     * the policy that orders its nodes. Absent: each SIP server has one db_url (its `node`).
     */
    dbCluster: z
      .object({
        policy: z.enum(['co-located', 'single-writer']).default('co-located'),
        cluster: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case name such as sipha')
          .default('sipha'),
      })
      .optional(),
    dns: dnsConfigSchema.optional(),
    connection: z
      .object({
        connectTimeoutMs: z.coerce.number().int().min(100).max(30_000).default(1000),
        queryTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(3000),
        probeIntervalMs: z.coerce.number().int().min(100).max(60_000).default(250),
        /**
         * How long a node must leave the prober's fresh connections without answer (the
         * prober's own delays discounted) before its peers are asked whether it is gone.
         */
        silenceMs: z.coerce.number().int().min(200).max(60_000).default(600),
        /** Set read_only=ON on a node that is fenced after a failover. */
        fenceReadOnly: z.boolean().default(true),
      })
      .prefault({}),
    galera: galeraConfigSchema.optional(),
    users: z
      .object({
        storePlaintextPasswords: z.boolean().default(false),
        passwordMinLength: z.coerce.number().int().min(6).max(128).default(8),
      })
      .prefault({}),
    session: z
      .object({
        /** Absolute lifetime of a console session. */
        maxAgeHours: z.coerce
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(12),
        secureCookie: z.boolean().optional(),
        /** Sign out a session unused for this long; off when absent. */
        idleMinutes: z.coerce
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .optional(),
      })
      .prefault({}),
    apiTokens: z
      .object({
        /** Refuse tokens older than this; tokens never expire when absent. */
        maxAgeDays: z.coerce.number().int().min(1).max(3650).optional(),
      })
      .prefault({}),
    /** Believe X-Forwarded-For (the console runs behind a reverse proxy that sets it). */
    trustProxy: z.boolean().default(false),
  })
  .superRefine((cfg, ctx) => {
    const names = new Set<string>();
    for (const [i, n] of cfg.nodes.entries()) {
      if (names.has(n.name))
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'name'], message: 'duplicate node name' });
      names.add(n.name);
    }
    if (cfg.dbCluster && cfg.nodes.length > 9)
      ctx.addIssue({ code: 'custom', path: ['dbCluster'], message: 'db_cluster takes at most 9 nodes' });
    for (const [i, s] of cfg.sipServers.entries()) {
      if (!names.has(s.node))
        ctx.addIssue({ code: 'custom', path: ['sipServers', i, 'node'], message: `unknown node ${s.node}` });
      if (s.udpPort === undefined && s.tcpPort === undefined)
        ctx.addIssue({ code: 'custom', path: ['sipServers', i], message: 'needs udpPort or tcpPort' });
    }
    for (const name of Object.keys(cfg.galera?.control ?? {}))
      if (!names.has(name))
        ctx.addIssue({ code: 'custom', path: ['galera', 'control', name], message: `unknown node ${name}` });
  });

export const configSchema = z
  .preprocess(clustersToTop, baseConfigSchema)
  .superRefine(checkClusters)
  .transform((cfg) => ({
    ...cfg,
    clusters: cfg.clusters ?? [{ name: 'default', nodes: cfg.nodes, sipServers: cfg.sipServers }],
  }));

/** With `clusters[]`, the top-level keys are the home cluster's (and must not be given too). */
function clustersToTop(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = raw as Record<string, unknown>;
  const first = Array.isArray(r.clusters)
    ? (r.clusters[0] as Record<string, unknown> | undefined)
    : undefined;
  if (!first || r.nodes !== undefined || r.sipServers !== undefined) return raw;
  return { ...r, nodes: first.nodes, sipServers: first.sipServers };
}

function checkClusters(cfg: z.infer<typeof baseConfigSchema>, ctx: z.RefinementCtx): void {
  if (!cfg.clusters) return;
  const clusterNames = new Set<string>();
  const nodeNames = new Set<string>();
  for (const [i, c] of cfg.clusters.entries()) {
    if (clusterNames.has(c.name))
      ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: 'duplicate cluster name' });
    clusterNames.add(c.name);
    const own = new Set(c.nodes.map((n) => n.name));
    for (const [j, n] of c.nodes.entries()) {
      if (nodeNames.has(n.name))
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', i, 'nodes', j, 'name'],
          message: 'duplicate node name',
        });
      nodeNames.add(n.name);
    }
    for (const [j, s] of c.sipServers.entries())
      if (!own.has(s.node))
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', i, 'sipServers', j, 'node'],
          message: `${s.node} is not a node of cluster ${c.name}`,
        });
  }
  const names = (ns: { name: string }[]) => ns.map((n) => n.name).join(',');
  if (names(cfg.nodes) !== names(cfg.clusters[0]?.nodes ?? []))
    ctx.addIssue({
      code: 'custom',
      path: ['nodes'],
      message: 'give either nodes/sipServers or clusters, not both',
    });
}

export type SiphaConfig = z.infer<typeof configSchema>;
type BaseInput = z.input<typeof baseConfigSchema>;
/** What a config file holds: `nodes` may be left out when `clusters` is given. */
export type SiphaConfigInput = Omit<BaseInput, 'nodes'> & Partial<Pick<BaseInput, 'nodes'>>;
export type ClusterConfig = SiphaConfig['clusters'][number];
export type FirstStageConfig = z.infer<typeof firstStageConfigSchema>;
export type NodeConfig = z.infer<typeof nodeConfigSchema>;
export type GaleraConfig = z.infer<typeof galeraConfigSchema>;
export type GaleraControl = z.infer<typeof galeraControlSchema>;
export type SipServerConfig = z.infer<typeof sipServerConfigSchema>;
