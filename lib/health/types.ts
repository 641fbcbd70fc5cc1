// The overview's JSON, shared by the route handler and the client components.

import type { GaleraOverview } from '@/lib/galera/overview';
import type { RegisterProbeResult } from '@/lib/sip/register-probe';

export type NodeRole = 'active' | 'standby' | 'fenced' | 'down';

export interface NodeStatus {
  name: string;
  /** The cluster whose connection list holds the node (issue 14). */
  cluster?: string;
  host: string;
  port: number;
  role: NodeRole;
  reachable: boolean | null;
  latencyMs: number | null;
  version: string | null;
  flavor: 'MariaDB' | 'MySQL' | null;
  readOnly: boolean | null;
  downSince: string | null;
  fencedSince: string | null;
  lastError: string | null;
  checkedAt: string | null;
}

export interface SipProbeStatus {
  ok: boolean;
  status?: number;
  reason?: string;
  rttMs?: number;
  error?: string;
}

export interface SipStatus {
  name: string;
  /** The cluster the SIP server belongs to (issue 14). */
  cluster?: string;
  host: string;
  node: string;
  serverId: number;
  udpPort?: number;
  tcpPort?: number;
  udp: SipProbeStatus | null;
  tcp: SipProbeStatus | null;
  up: boolean | null;
  checkedAt: string | null;
}

export interface FailoverInfo {
  active: string | null;
  preferred: string;
  reason: 'down' | 'fenced';
  since: string | null;
}

export interface Overview {
  at: string;
  /** The cluster this picture is of (the home cluster at the top level). */
  cluster?: string;
  nodes: NodeStatus[];
  sip: SipStatus[];
  active: string | null;
  failover: FailoverInfo | null;
  /** Replication directions from the background sampler; drawn by the topology. */
  directions?: DirectionStatus[];
  /** Per SIP server: can it serve (REGISTER), which database it uses (issue 11). */
  services?: SipService[];
  /** Pairs that may differ without a failover (a SIP server wrote to both): to verify. */
  verify?: { nodes: string[]; reason: string; since: string }[];
  /** With more than one cluster configured: every cluster's picture, the home cluster first. */
  clusters?: Overview[];
  /** Present for a Galera cluster: the group, its writer and the banner's words (lib/galera/overview.ts). */
  galera?: GaleraOverview | null;
}

// ---- Replication and registrations. Added fields only; the ones above are stable.

export type DirectionHealth = 'ok' | 'lagging' | 'broken' | 'unknown';

export interface ReplicationError {
  thread: 'io' | 'sql';
  errno: number | null;
  message: string;
  title: string;
  meaning: string;
  fix: string[];
}

/** One replication direction, source → replica, as the replica reports it. */
export interface DirectionStatus {
  from: string;
  to: string;
  health: DirectionHealth;
  /** Plain words: "replicating, 3 ms behind", "stopped: duplicate key", "d2 not answering". */
  summary: string;
  ioRunning: 'Yes' | 'No' | 'Connecting' | null;
  sqlRunning: boolean | null;
  secondsBehind: number | null;
  /** From the heartbeat rows: how long ago the oldest beat the replica has not applied was written. */
  lagMs: number | null;
  gtidIoPos: string | null;
  usingGtid: boolean | null;
  errors: ReplicationError[];
  /** When the replica last answered the status query. */
  checkedAt: string | null;
}

export interface NodeReplication {
  name: string;
  /** The replica's last status sample answered in time (a hung node turns false). */
  answering: boolean;
  gtidBinlogPos: string | null;
  gtidSlavePos: string | null;
  gtidCurrentPos: string | null;
  /** Why the console wrote no heartbeat on this node (fenced, down, an error). */
  heartbeatSkipped: string | null;
  sampleError: string | null;
  checkedAt: string | null;
}

export interface RegistrationCount {
  serverId: number;
  /** With more than one cluster: the cluster whose table was counted. */
  cluster?: string;
  /** The configured SIP server name, or null for a server_id no server in the config has. */
  server: string | null;
  total: number;
  active: number;
  expired: number;
}

export interface KamailioSummary {
  name: string;
  configured: boolean;
  /** Plain-words lines such as "up 3 h 12 min", "shared memory 12 % used". */
  lines: string[];
  errors: string[];
  checkedAt: string | null;
}

export interface HealthDetail {
  at: string;
  /** The home cluster's, as with one cluster. */
  overview: Overview;
  nodes: NodeReplication[];
  directions: DirectionStatus[];
  registrations: { counts: RegistrationCount[]; checkedAt: string | null; error: string | null };
  kamailio: KamailioSummary[];
  /** With more than one cluster configured: every cluster's health, the home cluster first. */
  clusters?: ClusterHealth[];
}

/** One cluster's part of the health page. */
export type ClusterHealth = Omit<HealthDetail, 'at' | 'clusters'> & { cluster: string };

export interface Series {
  key: string;
  label: string;
  /** [epoch ms, value | null] pairs, oldest first. */
  points: [number, number | null][];
}

export interface HealthHistory {
  at: string;
  lag: Series[];
  registrations: Series[];
}

// ---- The SIP service (issue 11): db_cluster per SIP server and the synthetic REGISTER.

export interface SipDbStatus {
  server: string;
  policy: 'co-located' | 'single-writer' | 'single-url';
  /** The server's nodes in the order it tries them. */
  order: string[];
  /** The node it reads and writes now, as Kamailio reports it (null: unknown). */
  using: string | null;
  /** Nodes it has marked inactive or the console disabled, with seconds until it retries. */
  inactive: { node: string; secondsLeft: number; byConsole: boolean }[];
  /**
   * The node it should write to, when it writes to another one that the console did not move
   * it to (db_cluster left that node on its own): a two-writer window, the pair to verify.
   */
  twoWriters: string | null;
  /** Set when the server writes to a fenced node, opens a two-writer window, or cannot be read. */
  error: string | null;
  fix: string | null;
  checkedAt: string | null;
}

export interface RegisterProbeStatus extends RegisterProbeResult {
  domain: string;
  checkedAt: string;
}

/** One SIP server in words, for the overview and the health page. */
export interface SipService {
  name: string;
  health: 'up' | 'warn' | 'down' | 'unknown';
  /** Short state for the dot: "serving", "cannot register", "down". */
  label: string;
  /** "p1 answers OPTIONS but cannot register: REGISTER got 500 after 2.1 s; its database d1 does not answer" */
  words: string;
  register: RegisterProbeStatus | null;
  db: SipDbStatus;
}
