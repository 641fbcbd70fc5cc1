import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, type SiphaConfigInput } from '../lib/config/schema.ts';
import { netnsDnsHost } from './dns.ts';
import { CLUSTER } from './kamailio-dbcl.ts';
import type { LabState } from './state.ts';

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CTL = fileURLToPath(new URL('./galera-ctl.ts', import.meta.url));

/** The console drives the lab's Galera nodes through lab/galera-ctl.ts (see there). */
function galeraConfig(state: LabState): SiphaConfigInput['galera'] {
  const cmd = (name: string, action: string) => [TSX, CTL, state.dir, name, action];
  const control = Object.fromEntries(
    state.nodes.map((n) => [
      n.name,
      {
        state: cmd(n.name, 'state'),
        recover: cmd(n.name, 'recover'),
        markSafe: cmd(n.name, 'mark-safe'),
        bootstrap: cmd(n.name, 'bootstrap'),
        start: cmd(n.name, 'start'),
        // Plain programs, as on a real host (behind ssh there): the preflight's and the
        // progress poll's commands run often and must be cheap.
        config: [
          'my_print_defaults',
          // Only the node's my.cnf: with --netns its command line starts with `ip netns exec NS`.
          ...(state.procs?.[n.name]?.args ?? []).filter((a) => a.startsWith('--defaults-file=')),
          'mysqld',
        ],
        progress: ['cat', join(state.dir, n.name, 'wsrep_status.json')],
        sstReceived: ['du', '-sb', join(state.dir, n.name, 'data', '.sst')],
      },
    ]),
  );
  return { failback: 'auto', control };
}

/** The console's configuration for this lab, validated by the console's own schema. */
export function siphaConfig(state: LabState): SiphaConfigInput {
  const nodes = state.nodes.map((n) => ({
    name: n.name,
    host: n.host,
    port: n.port,
    user: state.db.sipha.user,
    password: state.db.sipha.password,
    database: 'kamailio',
  }));
  const sipServers = state.sip.map((s) => ({
    name: s.name,
    host: s.host,
    udpPort: s.udp,
    tcpPort: s.tcp,
    rpcUrl: s.rpcUrl,
    serverId: s.serverId,
    node: s.node,
  }));
  const cfg: SiphaConfigInput = {
    nodes,
    sipServers,
    domains: [state.domain],
    ...(state.dbPolicy && state.dbPolicy !== 'single-url' && !state.fresh
      ? { dbCluster: { policy: state.dbPolicy, cluster: CLUSTER } }
      : {}),
    ...(state.dns ? { dns: dnsConfig(state) } : {}),
    ...(state.galera ? { galera: galeraConfig(state) } : {}),
    // With --netns the console is served over plain http on a bridge address, not loopback: a
    // browser drops a Secure cookie there (it keeps one only on https or 127.0.0.1), so the lab
    // turns it off. A real deployment serves the console over TLS and keeps the default.
    ...(state.net ? { session: { secureCookie: false } } : {}),
  };
  // With `up --clusters K` the config names each cluster, and the first stage.
  if (state.clusters) {
    delete cfg.nodes;
    delete cfg.sipServers;
    cfg.clusters = state.clusters.map((c) => ({
      name: c.name,
      nodes: nodes.filter((n) => c.nodes.includes(n.name)),
      sipServers: sipServers.filter((s) => c.sip.includes(s.name)),
    }));
    const f = state.firstStage;
    if (f) cfg.firstStages = [{ name: f.name, host: f.host, udpPort: f.udp, rpcUrl: f.rpcUrl }];
  }
  configSchema.parse(cfg);
  return cfg;
}

/** The console resolves from the lab's named and drains through it with the lab's TSIG key. */
function dnsConfig(state: LabState): NonNullable<SiphaConfigInput['dns']> {
  const d = state.dns!;
  // With --netns the console is in a namespace of its own: it asks named on the bridge, port 53.
  const server = state.net ? { host: netnsDnsHost(state.net), port: 53 } : { host: d.host, port: d.port };
  return {
    servers: [server],
    failoverBudgetSec: 30,
    update: { server, zone: d.zone, keyName: d.keyName, keySecret: d.keySecret },
    edges: state.edge ? [{ name: state.edge.name, rpcUrl: state.edge.rpcUrl }] : [],
  };
}

export function writeSiphaConfig(state: LabState): void {
  writeFileSync(state.configPath, `${JSON.stringify(siphaConfig(state), null, 2)}\n`, { mode: 0o600 });
}
