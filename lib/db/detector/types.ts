// What the prober (worker thread, ./probe-worker.js) reports, and what the decision makes of
// it. All times are absolute milliseconds (performance.timeOrigin + performance.now()).

/** One replication channel of a node, as that node reports it: its view of its source. */
export interface ChannelObs {
  host: string;
  port: number;
  /** The source's server_id (0 when unknown). */
  serverId: number;
  /** Slave_IO_Running: 'Yes', 'No' or 'Connecting'. */
  io: string;
  /** Heartbeat period of the channel; null when the server does not say. */
  periodMs: number | null;
  /** When an event or heartbeat counter was last seen to move; null: not yet seen to move. */
  changedAt: number | null;
  firstSeen: number;
  sampledAt: number;
}

export interface NodeObs {
  name: string;
  lastOkAt: number | null;
  ok: { version: string; readOnly: boolean; serverId: number; latencyMs: number } | null;
  /** A refused or reset connection (or a server error) newer than the last answer. */
  hardFail: { at: number; start: number; code: string | null; errno: number | null } | null;
  /** Start of the oldest probe still without answer, sent after the last answer. */
  silentSince: number | null;
  silentProbes: number;
  /** The prober's own scheduling delay since silentSince: time it could not have seen an answer. */
  stallMs: number;
  /** Replication channels from the last answer; null when the node would not say. */
  channels: ChannelObs[] | null;
}

/** One SIP server's db_cluster list (lib/sip/dbcl.ts), as the prober last read it. */
export interface SipObs {
  name: string;
  /** Its nodes in its own order: it uses the first one it holds active. */
  order: string[];
  /** When the call that answered last was sent; null: never answered. */
  sentAt: number | null;
  conns: { node: string; state: 'active' | 'disabled'; secondsLeft: number }[] | null;
  error: string | null;
}

export interface Snapshot {
  t: number;
  nodes: NodeObs[];
  /** The SIP servers' view; empty when none is configured with db_cluster and JSON-RPC. */
  sip?: SipObs[];
}

export type VerdictState = 'up' | 'down' | 'cut-off' | 'suspect';

export interface Verdict {
  name: string;
  state: VerdictState;
  /** The evidence in words, for the log, the overview and the failover's audit row. */
  words: string;
  /** For a hard failure: the connection error, as a statement error would carry it. */
  code?: string;
  errno?: number;
}

export interface DecideOptions {
  /** How long a node must stay without answer (own delays discounted) before peers are asked. */
  silenceMs: number;
  /** The prober's normal interval: a peer's sample can lag an event by this much. */
  intervalMs: number;
  /** Where the console reaches each node, to find the peers' channels from it. */
  addr: Map<string, { host: string; port: number }>;
  /**
   * How long after the console lost a node a SIP server still using it counts as evidence that
   * it answers: db_cluster marks a node inactive only after its queries failed (db_mysql tries a
   * hung query up to 3 times, timeout_interval 1 s each), so before that "still uses" says nothing.
   */
  sipGraceMs: number;
}

export const now = (): number => performance.timeOrigin + performance.now();
