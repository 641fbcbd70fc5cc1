import 'server-only';
import { Counter, Gauge, Registry } from 'prom-client';
import { getConfig } from '@/lib/config/load';
import { getGaleraHealth } from '@/lib/galera/health';
import { galeraGauges, setGaleraMetrics } from '@/lib/galera/metrics';
import { getMonitor } from './monitor';
import { getOverview } from './overview';
import { registerSampler } from './register-sampler';

// Prometheus exposition of the same background samples the pages show. Values are reset and
// set on each scrape, so a node or direction that disappears does not linger with an old value.

const g = globalThis as unknown as { __siphaMetrics?: ReturnType<typeof build> };

function build() {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    nodeUp: gauge('sipha_node_up', 'Database node answers the console probe (1) or not (0)', ['node']),
    nodeRole: gauge('sipha_node_role', 'Current role of a database node (1 for the role it has)', [
      'node',
      'role',
    ]),
    lag: gauge('sipha_replication_lag_ms', 'Replication lag from the heartbeat rows, milliseconds', [
      'from',
      'to',
    ]),
    behind: gauge('sipha_replication_seconds_behind', 'Seconds_Behind_Master as the replica reports it', [
      'from',
      'to',
    ]),
    io: gauge(
      'sipha_replication_io_running',
      'Replica IO thread running (1), connecting (0.5) or stopped (0)',
      ['from', 'to'],
    ),
    sqlThread: gauge('sipha_replication_sql_running', 'Replica SQL thread running (1) or stopped (0)', [
      'from',
      'to',
    ]),
    errno: gauge('sipha_replication_last_errno', 'Last IO or SQL error number of the direction (0 = none)', [
      'from',
      'to',
    ]),
    regs: gauge('sipha_registrations', 'Rows in location per SIP server', ['server', 'state']),
    sipUp: gauge('sipha_sip_up', 'SIP OPTIONS answered (1) or not (0)', ['server', 'transport']),
    rtt: gauge('sipha_sip_probe_rtt_ms', 'SIP OPTIONS round-trip time, milliseconds', [
      'server',
      'transport',
    ]),
    registerUp: gauge('sipha_sip_register_up', 'The synthetic REGISTER got 200 (1) or not (0)', ['server']),
    registerMs: gauge('sipha_sip_register_ms', 'Time of the last synthetic REGISTER, milliseconds', [
      'server',
    ]),
    registerProbes: new Counter({
      name: 'sipha_sip_register_probes_total',
      help: 'Synthetic REGISTERs since the console started, by outcome',
      labelNames: ['server', 'outcome'],
      registers: [registry],
    }),
    failover: gauge(
      'sipha_failover_active',
      'Writes are not going to the first node of the list (1) or are (0)',
      [],
    ),
    galera: galeraGauges(registry),
  };
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  g.__siphaMetrics ??= build();
  const m = g.__siphaMetrics;
  const [overview, monitor] = await Promise.all([getOverview(), getMonitor()]);
  m.registry.resetMetrics();
  for (const n of overview.nodes) {
    m.nodeUp.set({ node: n.name }, n.reachable ? 1 : 0);
    for (const role of ['active', 'standby', 'fenced', 'down'])
      m.nodeRole.set({ node: n.name, role }, n.role === role ? 1 : 0);
  }
  for (const d of overview.directions ?? []) {
    const l = { from: d.from, to: d.to };
    if (d.lagMs !== null) m.lag.set(l, d.lagMs);
    if (d.secondsBehind !== null) m.behind.set(l, d.secondsBehind);
    if (d.ioRunning !== null) m.io.set(l, d.ioRunning === 'Yes' ? 1 : d.ioRunning === 'Connecting' ? 0.5 : 0);
    if (d.sqlRunning !== null) m.sqlThread.set(l, d.sqlRunning ? 1 : 0);
    m.errno.set(l, d.errors[0]?.errno ?? 0);
  }
  for (const c of monitor.counts.counts) {
    const server = c.server ?? `server_id_${c.serverId}`;
    m.regs.set({ server, state: 'active' }, c.active);
    m.regs.set({ server, state: 'expired' }, c.expired);
  }
  for (const s of overview.sip) {
    for (const [transport, p] of [
      ['udp', s.udp],
      ['tcp', s.tcp],
    ] as const) {
      if (!p) continue;
      m.sipUp.set({ server: s.name, transport }, p.ok ? 1 : 0);
      if (p.ok && p.rttMs !== undefined) m.rtt.set({ server: s.name, transport }, p.rttMs);
    }
  }
  for (const s of overview.services ?? []) {
    if (!s.register) continue;
    m.registerUp.set({ server: s.name }, s.register.ok ? 1 : 0);
    m.registerMs.set({ server: s.name }, s.register.elapsedMs);
  }
  const cfg = getConfig();
  for (const [server, c] of registerSampler(cfg.sipServers, cfg.domains).counts) {
    m.registerProbes.inc({ server, outcome: 'ok' }, c.ok);
    m.registerProbes.inc({ server, outcome: 'failed' }, c.failed);
  }
  m.failover.set(overview.failover ? 1 : 0);
  setGaleraMetrics(m.galera, await getGaleraHealth());
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}
