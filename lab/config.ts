import { writeFileSync } from 'node:fs';
import { configSchema, type SiphaConfigInput } from '../lib/config/schema.ts';
import type { LabState } from './state.ts';

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
  const cfg: SiphaConfigInput = { nodes, sipServers, domains: [state.domain] };
  // Issue 14: with `up --clusters K` the config names each cluster, and the first stage.
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

export function writeSiphaConfig(state: LabState): void {
  writeFileSync(state.configPath, `${JSON.stringify(siphaConfig(state), null, 2)}\n`, { mode: 0o600 });
}
