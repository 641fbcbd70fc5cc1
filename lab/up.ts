import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startClusters } from './clusters.ts';
import { writeSiphaConfig } from './config.ts';
import { createAdmin, launchConsole } from './console.ts';
import { type DnsOptions, launchDns, writeNetnsResolvConf } from './dns.ts';
import { type EdgeOptions, launchEdge } from './edge.ts';
import { upGalera } from './galera-up.ts';
import type { LabDbPolicy } from './kamailio-dbcl.ts';
import { addMember, createBridge, destroyNet, planNet } from './netns.ts';
import { launchNode, launchSip } from './nodes.ts';
import { procState } from './process.ts';
import { createUsers, setupReplication, waitReplicated } from './replication.ts';
import { createSchema, seed } from './schema.ts';
import { DOMAIN, hasState, type LabState, readState, writeState } from './state.ts';
import { clean, down } from './teardown.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface UpOptions {
  dir: string;
  nodes?: number;
  fresh?: boolean;
  sip?: boolean;
  console?: boolean;
  /** `next dev` instead of the production build. */
  dev?: boolean;
  detach?: boolean;
  log?: (line: string) => void;
  extraNodeArgs?: Record<string, string[]>;
  /**
   * Every node, SIP server and the console in a network namespace of its own (root only); with
   * `engine: 'galera'` also garbd (--arbitrator).
   */
  netns?: boolean;
  /** db_cluster policy of the SIP servers; `single-url` is one database each (the old lab). */
  dbPolicy?: LabDbPolicy;
  /** The lab's DNS server for the SIP domain (BIND 9); the edge implies it. */
  dns?: boolean | DnsOptions;
  /** The first-stage Kamailio that forwards to the SIP domain by RFC 3263. */
  edge?: boolean | EdgeOptions;
  /** `galera`: a Galera cluster (lab/galera-up.ts) instead of the replicated pair or ring. */
  engine?: 'pair' | 'galera';
  arbitrator?: boolean;
  /** Galera only: configure the nodes but form no cluster (bootstrapped from the console). */
  bootstrap?: boolean;
  /** K clusters of `nodes` nodes each behind a first stage (issue 14). */
  clusters?: number;
}

const secret = () => randomBytes(12).toString('base64url');

/** Runs one step and logs `✓ what (1.2 s)`; `what` may depend on the step's result. */
async function step<T>(log: (l: string) => void, what: (r: T) => string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  log(`✓ ${what(r)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return r;
}

/** A bridge and a namespace per member; recorded in state first, so `down` removes a half-built one. */
async function netns(state: LabState, opts: UpOptions, count: number): Promise<string> {
  const net = planNet(state.dir);
  // A Galera lab with an arbitrator has two data nodes and garbd; one to bootstrap from the
  // console has no SIP servers (lab/galera-up.ts).
  const galera = opts.engine === 'galera';
  const garb = galera && opts.arbitrator === true;
  const nodes = garb ? 2 : count;
  const noSip = opts.sip === false || (galera && opts.bootstrap === false);
  const sites = noSip ? 0 : state.fresh ? 1 : nodes;
  const names = [
    ...Array.from({ length: nodes }, (_, i) => `d${i + 1}`),
    ...Array.from({ length: sites }, (_, i) => `p${i + 1}`),
    ...(garb ? ['garb'] : []),
  ];
  // Leftovers of a lab in this folder that was not stopped cleanly (same names).
  destroyNet({
    ...net,
    members: Object.fromEntries([...names, 'console'].map((n) => [n, { ns: `s${net.id}-${n}`, ip: '' }])),
  });
  state.net = net;
  writeState(state);
  createBridge(net);
  for (const name of names) addMember(net, name);
  // Without a console process, whoever drives the lab (a test, a benchmark) is the console,
  // from the root namespace.
  if (opts.console) addMember(net, 'console');
  else net.members.console = net.members.root!;
  writeState(state);
  return net.prefix;
}

export async function up(opts: UpOptions): Promise<LabState> {
  const dir = resolve(opts.dir);
  const count = opts.nodes ?? 2;
  const log = opts.log ?? (() => {});
  if (count < 1) throw new Error('--nodes must be at least 1');
  if (hasState(dir)) {
    const old = readState(dir);
    if ([...old.nodes, ...old.sip].some((p) => procState(p.pid) !== 'down'))
      throw new Error(`a lab is already running in ${dir}; run \`lab down --dir ${dir}\` first`);
  }
  // A new lab always starts from empty datadirs: leftovers of an old lab are removed by down().
  await down(dir);
  clean(dir);
  mkdirSync(dir, { recursive: true });
  const state: LabState = {
    dir,
    domain: DOMAIN,
    fresh: !!opts.fresh,
    dbPolicy: opts.dbPolicy ?? 'co-located',
    nodes: [],
    sip: [],
    console: null,
    db: {
      sipha: { user: 'sipha', password: secret() },
      kamailio: { user: 'kamailio', password: secret() },
      repl: { user: 'repl', password: secret() },
    },
    configPath: join(dir, 'sipha.config.json'),
    procs: {},
  };
  writeState(state);
  try {
    if (opts.netns)
      await step(
        log,
        (n) => `network namespaces on ${n}.0/24`,
        async () => netns(state, opts, count),
      );
    if (opts.engine === 'galera') {
      await upGalera(
        state,
        { nodes: count, arbitrator: opts.arbitrator, sip: opts.sip, bootstrap: opts.bootstrap },
        (w, fn) => step(log, w, fn),
      );
      return await finishUp(state, opts, log);
    }
    // K clusters and a first stage instead of the single pair below.
    if (opts.clusters) {
      const sip = opts.sip ?? true;
      await startClusters(state, { clusters: opts.clusters, perCluster: count, sip }, (w, f) =>
        step(log, w, f),
      );
      return await finishUp(state, opts, log);
    }
    for (let i = 1; i <= count; i++) {
      const extra = opts.extraNodeArgs?.[`d${i}`];
      await step(
        log,
        (n) => `d${i} started on 127.0.0.1:${n.port}`,
        () => launchNode(state, i, count, extra),
      );
    }
    await step(
      log,
      () => 'database users',
      async () => {
        const from = state.net ? `${state.net.prefix}.%` : '127.0.0.1';
        for (const n of state.nodes) await createUsers(n, state.db, from);
      },
    );
    if (!state.fresh && count > 1)
      await step(
        log,
        () => `replication (${count === 2 ? 'two-way' : 'ring'})`,
        () => setupReplication(state.nodes, state.db.repl),
      );
    await step(
      log,
      () => `kamailio schema and 100 users on d1`,
      async () => {
        await createSchema(state.nodes[0]!);
        await seed(state.nodes[0]!, state.domain);
        if (!state.fresh) await waitReplicated(state.nodes);
      },
    );
    // Before the SIP servers start: `ip netns exec` mounts a namespace's resolv.conf at exec.
    if (state.net && (opts.dns || opts.edge)) writeNetnsResolvConf(state.net, state.domain);
    if (opts.sip ?? true) {
      // In a fresh lab only d1 has the schema, so only p1 can work.
      const sites = state.fresh ? 1 : count;
      for (let i = 1; i <= sites; i++)
        await step(
          log,
          (s) => `p${i} SIP on 127.0.0.1:${s.udp}, RPC ${s.rpcUrl}`,
          () => launchSip(state, i),
        );
    }
    if (opts.dns || opts.edge)
      await step(
        log,
        () => `DNS ${state.domain} on ${state.dns?.host}:${state.dns?.port} (named, TTL ${state.dns?.ttl} s)`,
        () => launchDns(state, typeof opts.dns === 'object' ? opts.dns : {}),
      );
    if (opts.edge)
      await step(
        log,
        (e) => `edge SIP on 127.0.0.1:${e.udp}, forwarding to ${state.domain} by DNS`,
        () => launchEdge(state, typeof opts.edge === 'object' ? opts.edge : {}),
      );
    return await finishUp(state, opts, log);
  } catch (e) {
    log(`✗ ${(e as Error).message}; stopping what was started`);
    await down(dir);
    throw e;
  }
}

/** The console's configuration, and the console itself unless --no-console. */
async function finishUp(state: LabState, opts: UpOptions, log: (l: string) => void): Promise<LabState> {
  writeSiphaConfig(state);
  log(`✓ console config ${state.configPath}`);
  if (opts.console) {
    await step(
      log,
      () => `console on ${state.console?.url}`,
      () => launchConsole(state, REPO_ROOT, { dev: opts.dev, log }),
    );
    const admin = await createAdmin(state, REPO_ROOT);
    if (admin) log(`✓ console login: ${admin.user} / ${admin.password}`);
    else log('! scripts/admin.ts not found: no console login created');
  }
  return state;
}
