// A Galera node's view of itself and its cluster, from SHOW GLOBAL STATUS LIKE 'wsrep%'.
// Pure: parsing and the eligibility rule, shared by the writer choice, health and metrics.

export interface GaleraStatus {
  clusterSize: number;
  /** Primary, non-Primary or Disconnected. */
  clusterStatus: string;
  /** Joining, Donor/Desynced, Joined, Synced, Initialized… */
  localState: string;
  ready: boolean;
  connected: boolean;
  /** Fraction of time replication was paused by flow control since the last FLUSH STATUS. */
  flowControlPaused: number;
  recvQueue: number;
  sendQueue: number;
  certFailures: number;
  lastCommitted: number;
  clusterUuid: string;
  desyncCount: number;
  /** Node names in the cluster's current view, as the nodes announce them. */
  incoming: string[];
  /** This process's member id in the group (wsrep_gcomm_uuid); a restart gets a new one. */
  gcommUuid?: string;
}

export const WSREP_STATUS_SQL = "SHOW GLOBAL STATUS LIKE 'wsrep\\_%'";

const num = (v: string | undefined) => (v === undefined || v === '' ? 0 : Number(v) || 0);

export function parseWsrep(rows: { Variable_name: string; Value: string }[]): GaleraStatus | null {
  const s = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), String(r.Value ?? '')]));
  // wsrep_on=OFF or no provider: the variables are there but empty, or missing altogether.
  if (!s.has('wsrep_cluster_status') || !s.get('wsrep_local_state_comment')) return null;
  return {
    clusterSize: num(s.get('wsrep_cluster_size')),
    clusterStatus: s.get('wsrep_cluster_status') ?? '',
    localState: s.get('wsrep_local_state_comment') ?? '',
    ready: s.get('wsrep_ready') === 'ON',
    connected: s.get('wsrep_connected') === 'ON',
    flowControlPaused: num(s.get('wsrep_flow_control_paused')),
    recvQueue: num(s.get('wsrep_local_recv_queue')),
    sendQueue: num(s.get('wsrep_local_send_queue')),
    certFailures: num(s.get('wsrep_local_cert_failures')),
    lastCommitted: num(s.get('wsrep_last_committed')),
    clusterUuid: s.get('wsrep_cluster_state_uuid') ?? '',
    desyncCount: num(s.get('wsrep_desync_count')),
    incoming: (s.get('wsrep_incoming_addresses') ?? '').split(',').filter(Boolean),
    gcommUuid: s.get('wsrep_gcomm_uuid') ?? '',
  };
}

/** May take writes: Synced, in the primary component, and ready for application use. */
export function writable(s: GaleraStatus | null | undefined): boolean {
  return !!s && s.localState === 'Synced' && s.clusterStatus === 'Primary' && s.ready;
}

/** Why a reachable node is not writable, in a few words (for the writer choice's log). */
export function notWritableReason(s: GaleraStatus | null | undefined): string | null {
  if (!s) return 'not a Galera node (wsrep is off)';
  if (s.clusterStatus !== 'Primary') return `not in the primary component (${s.clusterStatus})`;
  if (s.localState !== 'Synced') return `not Synced (${s.localState})`;
  if (!s.ready) return 'wsrep_ready is OFF';
  return null;
}
