// What the registrations list and the per-user view show; shared with client components.

import type { ClusterUnavailable } from '@/lib/clusters/unavailable-words';

export interface Registration {
  id: number;
  ruid: string;
  aor: string;
  username: string;
  domain: string | null;
  contact: string;
  received: string | null;
  path: string | null;
  /** Seconds until expiry by the database's clock at the read; negative once expired. */
  expiresIn: number;
  /** Kamailio keeps expired rows until its timer purges them: shown as such, not hidden. */
  expired: boolean;
  q: number;
  userAgent: string;
  socket: string | null;
  serverId: number;
  /** The configured SIP server with this server_id, or null when no server has it. */
  server: string | null;
  /** The cluster whose table holds the row; set when more than one cluster is configured. */
  cluster?: string;
  lastModified: string;
}

export interface RegistrationPage {
  rows: Registration[];
  /** Opaque keyset cursor of the next page; null on the last page. */
  next: string | null;
  /** The node the page was read from. */
  node: string;
  /** When the page was read (console clock): expiresIn counts from here. */
  at: string;
  /**
   * With more than one cluster configured: true when a cluster asked for did not answer, so the
   * rows (and the pages after) are those of the clusters that did. Absent with one cluster.
   */
  partial?: boolean;
  /** The clusters that did not answer, each with the reason in words (empty when none). */
  unavailable?: ClusterUnavailable[];
}
