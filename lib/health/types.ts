// The overview's JSON, shared by the route handler and the client components.

export type NodeRole = 'active' | 'standby' | 'fenced' | 'down';

export interface NodeStatus {
  name: string;
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
  nodes: NodeStatus[];
  sip: SipStatus[];
  active: string | null;
  failover: FailoverInfo | null;
}
