import { writeFileSync } from 'node:fs';
import { configSchema, type SiphaConfigInput } from '../lib/config/schema.ts';
import { CLUSTER } from './kamailio-dbcl.ts';
import type { LabState } from './state.ts';

/** The console's configuration for this lab, validated by the console's own schema. */
export function siphaConfig(state: LabState): SiphaConfigInput {
  const cfg: SiphaConfigInput = {
    nodes: state.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      port: n.port,
      user: state.db.sipha.user,
      password: state.db.sipha.password,
      database: 'kamailio',
    })),
    sipServers: state.sip.map((s) => ({
      name: s.name,
      host: s.host,
      udpPort: s.udp,
      tcpPort: s.tcp,
      rpcUrl: s.rpcUrl,
      serverId: s.serverId,
      node: s.node,
    })),
    domains: [state.domain],
    ...(state.dbPolicy && state.dbPolicy !== 'single-url' && !state.fresh
      ? { dbCluster: { policy: state.dbPolicy, cluster: CLUSTER } }
      : {}),
    ...(state.dns ? { dns: dnsConfig(state) } : {}),
  };
  configSchema.parse(cfg);
  return cfg;
}

/** The console resolves from the lab's named and drains through it with the lab's TSIG key. */
function dnsConfig(state: LabState): NonNullable<SiphaConfigInput['dns']> {
  const d = state.dns!;
  const server = { host: d.host, port: d.port };
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
