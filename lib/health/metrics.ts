import 'server-only';
import { Counter, Gauge, Registry } from 'prom-client';
import { getConfig } from '@/lib/config/load';
import { getGaleraHealth } from '@/lib/galera/health';
import { galeraGauges, setGaleraMetrics } from '@/lib/galera/metrics';
import { getMonitors, type Monitor } from './monitor';
import { getOverview } from './overview';
import { registerSampler } from './register-sampler';
import type { Overview } from './types';

// Prometheus exposition of the same background samples the pages show. Values are reset and
// set on each scrape, so a node or direction that disappears does not linger with an old value.
// With more than one cluster, per-node and per-SIP-server series carry a `cluster` label.

type Metrics = ReturnType<typeof build>;

const g = globalThis as unknown as { __siphaMetrics?: Metrics };

function build() {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    nodeUp: gauge('sipha_node_up', 'Database node answers the console probe (1) or not (0)', [
      'node',
      'cluster',
    ]),
    nodeRole: gauge('sipha_node_role', 'Current role of a database node (1 for the role it has)', [
      'node',
      'role',
      'cluster',
    ]),
    lag: gauge('sipha_replication_lag_ms', 'Replication lag from the heartbeat rows, milliseconds', [
      'from',
      'to',
      'cluster',
    ]),
    behind: gauge('sipha_replication_seconds_behind', 'Seconds_Behind_Master as the replica reports it', [
      'from',
      'to',
      'cluster',
    ]),
    io: gauge(
      'sipha_replication_io_running',
      'Replica IO thread running (1), connecting (0.5) or stopped (0)',
      ['from', 'to', 'cluster'],
    ),
    sqlThread: gauge('sipha_replication_sql_running', 'Replica SQL thread running (1) or stopped (0)', [
      'from',
      'to',
      'cluster',
    ]),
    errno: gauge('sipha_replication_last_errno', 'Last IO or SQL error number of the direction (0 = none)', [
      'from',
      'to',
      'cluster',
    ]),
    regs: gauge('sipha_registrations', 'Rows in location per SIP server', ['server', 'state', 'cluster']),
    sipUp: gauge('sipha_sip_up', 'SIP OPTIONS answered (1) or not (0)', ['server', 'transport', 'cluster']),
    rtt: gauge('sipha_sip_probe_rtt_ms', 'SIP OPTIONS round-trip time, milliseconds', [
      'server',
      'transport',
      'cluster',
    ]),
    registerUp: gauge('sipha_sip_register_up', 'The synthetic REGISTER got 200 (1) or not (0)', [
      'server',
      'cluster',
    ]),
    registerMs: gauge('sipha_sip_register_ms', 'Time of the last synthetic REGISTER, milliseconds', [
      'server',
      'cluster',
    ]),
    registerProbes: new Counter({
      name: 'sipha_sip_register_probes_total',
      help: 'Synthetic REGISTERs since the console started, by outcome',
      labelNames: ['server', 'outcome', 'cluster'],
      registers: [registry],
    }),
    failover: gauge(
      'sipha_failover_active',
      'Writes are not going to the first node of the list (1) or are (0)',
      ['cluster'],
    ),
    galera: galeraGauges(registry),
  };
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  g.__siphaMetrics ??= build();
  const m = g.__siphaMetrics;
  const [overview, monitors] = await Promise.all([getOverview(), getMonitors()]);
  m.registry.resetMetrics();
  const multi = !!overview.clusters;
  for (const [i, o] of (overview.clusters ?? [overview]).entries())
    setClusterMetrics(m, o, monitors[i]!, multi);
  const cluster = new Map(getConfig().clusters.flatMap((c) => c.sipServers.map((s) => [s.name, c.name])));
  for (const [server, c] of registerSampler().counts) {
    const l = { server, ...(multi ? { cluster: cluster.get(server) ?? '' } : {}) };
    m.registerProbes.inc({ ...l, outcome: 'ok' }, c.ok);
    m.registerProbes.inc({ ...l, outcome: 'failed' }, c.failed);
  }
  setGaleraMetrics(m.galera, await getGaleraHealth());
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}

/**
 * One cluster's series. With more than one cluster each carries a `cluster` label (issue 14);
 * with one, the series are exactly those of a console without clusters.
 */
function setClusterMetrics(m: Metrics, overview: Overview, monitor: Monitor, multi: boolean): void {
  const label = multi ? { cluster: overview.cluster ?? monitor.cluster.name } : {};
  for (const n of overview.nodes) {
    m.nodeUp.set({ node: n.name, ...label }, n.reachable ? 1 : 0);
    for (const role of ['active', 'standby', 'fenced', 'down'])
      m.nodeRole.set({ node: n.name, role, ...label }, n.role === role ? 1 : 0);
  }
  for (const d of overview.directions ?? []) {
    const l = { from: d.from, to: d.to, ...label };
    if (d.lagMs !== null) m.lag.set(l, d.lagMs);
    if (d.secondsBehind !== null) m.behind.set(l, d.secondsBehind);
    if (d.ioRunning !== null) m.io.set(l, d.ioRunning === 'Yes' ? 1 : d.ioRunning === 'Connecting' ? 0.5 : 0);
    if (d.sqlRunning !== null) m.sqlThread.set(l, d.sqlRunning ? 1 : 0);
    m.errno.set(l, d.errors[0]?.errno ?? 0);
  }
  for (const c of monitor.counts.counts) {
    const server = c.server ?? `server_id_${c.serverId}`;
    m.regs.set({ server, state: 'active', ...label }, c.active);
    m.regs.set({ server, state: 'expired', ...label }, c.expired);
  }
  for (const s of overview.sip) {
    for (const [transport, p] of [
      ['udp', s.udp],
      ['tcp', s.tcp],
    ] as const) {
      if (!p) continue;
      m.sipUp.set({ server: s.name, transport, ...label }, p.ok ? 1 : 0);
      if (p.ok && p.rttMs !== undefined) m.rtt.set({ server: s.name, transport, ...label }, p.rttMs);
    }
  }
  for (const s of overview.services ?? []) {
    if (!s.register) continue;
    m.registerUp.set({ server: s.name, ...label }, s.register.ok ? 1 : 0);
    m.registerMs.set({ server: s.name, ...label }, s.register.elapsedMs);
  }
  m.failover.set(label, overview.failover ? 1 : 0);
}
