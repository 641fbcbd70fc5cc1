import 'server-only';
import { Gauge, type Registry } from 'prom-client';
import type { GaleraHealth } from './health';

// The Galera page's figures in /metrics, one series per node (nothing for a pair).

export function galeraGauges(registry: Registry) {
  const g = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: ['node'], registers: [registry] });
  return {
    size: g('sipha_galera_cluster_size', 'wsrep_cluster_size as the node reports it'),
    primary: g('sipha_galera_primary', 'The node is in the primary component (1) or not (0)'),
    synced: g('sipha_galera_synced', 'wsrep_local_state_comment is Synced (1) or not (0)'),
    ready: g('sipha_galera_ready', 'wsrep_ready ON (1) or OFF (0)'),
    writer: g('sipha_galera_writer', 'The console writes to this node (1) or not (0)'),
    fc: g(
      'sipha_galera_flow_control_paused',
      'Fraction of time paused by flow control (wsrep_flow_control_paused)',
    ),
    recvQ: g('sipha_galera_recv_queue', 'wsrep_local_recv_queue'),
    sendQ: g('sipha_galera_send_queue', 'wsrep_local_send_queue'),
    cert: g('sipha_galera_cert_failures', 'wsrep_local_cert_failures (certification conflicts)'),
    seqno: g('sipha_galera_last_committed', 'wsrep_last_committed seqno'),
    transfer: g(
      'sipha_galera_transfer_percent',
      "How far the node's state transfer (SST/IST) is, 0-100, while it joins and the share is known",
    ),
  };
}

export function setGaleraMetrics(m: ReturnType<typeof galeraGauges>, h: GaleraHealth): void {
  for (const n of h.nodes) {
    const l = { node: n.name };
    m.writer.set(l, n.writer ? 1 : 0);
    const s = n.status;
    m.primary.set(l, s?.clusterStatus === 'Primary' ? 1 : 0);
    m.synced.set(l, s?.localState === 'Synced' ? 1 : 0);
    m.ready.set(l, s?.ready ? 1 : 0);
    if (n.transfer?.percent != null) m.transfer.set(l, n.transfer.percent);
    else m.transfer.remove(l);
    if (!s) continue;
    m.size.set(l, s.clusterSize);
    m.fc.set(l, s.flowControlPaused);
    m.recvQ.set(l, s.recvQueue);
    m.sendQ.set(l, s.sendQueue);
    m.cert.set(l, s.certFailures);
    m.seqno.set(l, s.lastCommitted);
  }
}
