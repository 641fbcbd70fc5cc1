import 'server-only';
import { getConfig } from '@/lib/config/load';
import { getConnectionList } from '@/lib/db';
import { type GaleraJob, latestJob } from './job';
import { type TransferProgress, transferProgress } from './progress';
import type { GaleraStatus } from './status';
import { writable } from './status';
import { liveTransfers } from './transfer';
import { type GaleraProblem, galeraProblems } from './words';

// The Galera page's and /metrics' picture, from the connection list's background samples
// (one wsrep probe per node per probe round): it never waits on a node.

export interface GaleraNodeHealth {
  name: string;
  host: string;
  port: number;
  reachable: boolean | null;
  writer: boolean;
  writable: boolean;
  status: GaleraStatus | null;
  error: string | null;
  inStateMs: number;
  checkedAt: string | null;
  /** How far its state transfer is, while it joins (./progress.ts). */
  transfer: TransferProgress | null;
}

export interface GaleraHealth {
  at: string;
  enabled: boolean;
  /** Some node has reported a Galera state since the console started: a cluster exists. */
  formed: boolean;
  writer: string | null;
  failback: 'auto' | 'manual' | null;
  nodes: GaleraNodeHealth[];
  problems: GaleraProblem[];
  conflicts: { retried: number; reported: number };
  job: GaleraJob | null;
}

export async function getGaleraHealth(): Promise<GaleraHealth> {
  const cfg = getConfig();
  const list = await getConnectionList();
  const g = list.galera;
  const at = new Date().toISOString();
  if (!g)
    return {
      at,
      enabled: false,
      formed: false,
      writer: null,
      failback: null,
      nodes: [],
      problems: [],
      conflicts: { retried: 0, reported: 0 },
      job: null,
    };
  const writer = list.active()?.handle.name ?? null;
  const now = Date.now();
  const synced = list.nodes.flatMap((n) => {
    const st = g.get(n.handle.name).status;
    return st && writable(st) ? [st.lastCommitted] : [];
  });
  const clusterSeqno = synced.length ? Math.max(...synced) : null;
  const live = liveTransfers();
  const nodes = list.nodes.map((n) => {
    const s = g.get(n.handle.name);
    const transfer =
      live.get(n.handle.name) ??
      transferProgress({ node: n.handle.name, file: null, joiner: s.status, clusterSeqno, startSeqno: null });
    return {
      name: n.handle.name,
      host: n.handle.config.host,
      port: n.handle.config.port,
      reachable: n.reachable,
      writer: writer === n.handle.name,
      writable: writable(s.status),
      status: s.status,
      error: s.error,
      inStateMs: now - s.stateSince,
      checkedAt: s.checkedAt?.toISOString() ?? null,
      transfer,
    };
  });
  const problems = galeraProblems(
    list.nodes.map((n) => {
      const s = g.get(n.handle.name);
      return {
        node: n.handle.name,
        status: s.status,
        error: s.error ?? (s.checkedAt ? null : 'not checked yet'),
        inStateMs: now - s.stateSince,
        lastState: s.lastState,
      };
    }),
    cfg.nodes.length,
  );
  return {
    at,
    enabled: true,
    formed: list.nodes.some((n) => g.get(n.handle.name).lastState !== null),
    writer,
    failback: g.cfg.failback,
    nodes,
    problems,
    conflicts: { ...g.conflicts },
    job: await latestJob(),
  };
}
