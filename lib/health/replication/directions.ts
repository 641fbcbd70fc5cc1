import type { DirectionStatus, NodeReplication, ReplicationError } from '@/lib/health/types';
import { explainReplicationError } from './advice';
import { type BeatHistory, lagMs } from './lag';
import type { NodeFacts } from './node-facts';
import type { ReplicaStatus } from './status';

// Turns the per-node samples into replication directions (source → replica) in plain words.
// Pure: the sampler hands in what it has; tests hand in recorded shapes.

export const LAGGING_MS = 5000;

export interface SampleView {
  facts: NodeFacts | null;
  okAt: number | null;
  error: string | null;
  heartbeatSkipped: string | null;
  answering: boolean;
}

interface NodeRef {
  name: string;
  host: string;
  port: number;
}

const iso = (t: number | null) => (t ? new Date(t).toISOString() : null);

function sourceName(nodes: NodeRef[], r: ReplicaStatus): string {
  const local = (h: string) => (h === 'localhost' || h === '::1' ? '127.0.0.1' : h);
  const byBoth = nodes.find((n) => local(n.host) === local(r.sourceHost) && n.port === r.sourcePort);
  return byBoth?.name ?? `${r.sourceHost}:${r.sourcePort ?? '?'}`;
}

function errorsOf(r: ReplicaStatus, from: string, to: string, facts: NodeFacts): ReplicationError[] {
  const out: ReplicationError[] = [];
  const add = (thread: 'io' | 'sql', errno: number, message: string) => {
    if (!errno && !message) return;
    const e = explainReplicationError({ errno, message, direction: { from, to }, flavor: facts.flavor });
    out.push({ thread, errno: e.errno, message, title: e.title, meaning: e.meaning, fix: e.fix });
  };
  add('io', r.lastIoErrno, r.lastIoError);
  add('sql', r.lastSqlErrno, r.lastSqlError);
  return out;
}

function summarize(
  d: Omit<DirectionStatus, 'summary' | 'health'>,
): Pick<DirectionStatus, 'health' | 'summary'> {
  const first = d.errors[0];
  if (first)
    return {
      health: 'broken',
      summary: `stopped: ${first.title.toLowerCase()}${first.errno ? ` (error ${first.errno})` : ''}`,
    };
  if (d.sqlRunning === false) return { health: 'broken', summary: 'the SQL (apply) thread is stopped' };
  if (d.ioRunning === 'No') return { health: 'broken', summary: 'the IO (receive) thread is stopped' };
  if (d.ioRunning === 'Connecting') return { health: 'broken', summary: `cannot reach ${d.from}; retrying` };
  const lag = d.lagMs ?? (d.secondsBehind === null ? null : d.secondsBehind * 1000);
  if (lag !== null && lag >= LAGGING_MS)
    return { health: 'lagging', summary: `replicating, ${(lag / 1000).toFixed(1)} s behind` };
  return { health: 'ok', summary: lag === null ? 'replicating' : `replicating, ${lag} ms behind` };
}

export function buildDirections({
  nodes,
  samples,
  history,
}: {
  nodes: NodeRef[];
  samples: Map<string, SampleView>;
  history: Map<string, BeatHistory>;
}): DirectionStatus[] {
  const out: DirectionStatus[] = [];
  for (const to of nodes) {
    const s = samples.get(to.name);
    if (!s?.facts) continue;
    for (const r of s.facts.replicas) {
      const from = sourceName(nodes, r);
      const base = {
        from,
        to: to.name,
        ioRunning: r.ioRunning,
        sqlRunning: r.sqlRunning,
        secondsBehind: r.secondsBehind,
        lagMs: null as number | null,
        gtidIoPos: r.gtidIoPos || null,
        usingGtid: r.usingGtid,
        errors: errorsOf(r, from, to.name, s.facts),
        checkedAt: iso(s.okAt),
      };
      const hist = history.get(from);
      if (hist)
        base.lagMs = lagMs({ seen: s.facts.beats.get(from), readerNow: s.facts.readerNow, history: hist });
      if (!s.answering) {
        // The replica stopped answering: its last threads and lag are history, not shown as current.
        out.push({
          ...base,
          ioRunning: null,
          sqlRunning: null,
          secondsBehind: null,
          lagMs: null,
          health: 'unknown',
          summary: `${to.name} is not answering; state unknown`,
        });
        continue;
      }
      const judged = summarize(base);
      // A stopped (SIGSTOP) source keeps the replica's IO thread at Yes until its net timeout,
      // and a source that writes nothing leaves nothing to lag behind: green "0 ms" would lie.
      if (judged.health !== 'broken' && samples.get(from)?.answering === false) {
        out.push({
          ...base,
          health: 'unknown',
          summary: `${from} (the source) is not answering; nothing new can arrive`,
        });
        continue;
      }
      out.push({ ...base, ...judged });
    }
  }
  // Ring order (d1→d2, d2→d3, d3→d1), whatever order the replicas were sampled in.
  const at = (name: string) => {
    const i = nodes.findIndex((n) => n.name === name);
    return i < 0 ? nodes.length : i;
  };
  return out.sort((a, b) => at(a.from) - at(b.from) || at(a.to) - at(b.to));
}

export function nodeReplication(name: string, s: SampleView | undefined): NodeReplication {
  return {
    name,
    answering: !!s?.answering,
    gtidBinlogPos: s?.facts?.gtid.binlog ?? null,
    gtidSlavePos: s?.facts?.gtid.slave ?? null,
    gtidCurrentPos: s?.facts?.gtid.current ?? null,
    heartbeatSkipped: s?.heartbeatSkipped ?? null,
    sampleError: s?.error ?? null,
    checkedAt: iso(s?.okAt ?? null),
  };
}
