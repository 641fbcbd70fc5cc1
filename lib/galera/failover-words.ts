import type { GaleraStatus } from './status';

// What the failover banner says for a Galera cluster (pure, unit-tested): where writes go, and
// why not to the first node of the list, in Galera's words (nothing is fenced in Galera: a node
// that comes back is brought up to date by IST or SST before it is Synced).

export interface GaleraFailover {
  writer: string | null;
  preferred: string;
  words: string;
  /** warn: writes go elsewhere; down: no node takes writes. */
  severity: 'warn' | 'down';
}

export interface PreferredEvidence {
  name: string;
  status: GaleraStatus | null;
  /** Why it did not answer, when it did not. */
  error: string | null;
}

function why(p: PreferredEvidence): string {
  const s = p.status;
  if (!s)
    return p.error ? `${p.name} does not answer (${p.error})` : `${p.name} runs without Galera (wsrep off)`;
  if (s.clusterStatus !== 'Primary')
    return `${p.name} left the primary component (${s.clusterStatus}, cluster size ${s.clusterSize})`;
  if (s.localState === 'Donor/Desynced') return `${p.name} is a state-transfer donor (Donor/Desynced)`;
  if (s.localState !== 'Synced') return `${p.name} is ${s.localState}, not Synced`;
  if (!s.ready) return `${p.name} is not ready (wsrep_ready OFF)`;
  return '';
}

export function galeraFailover(o: {
  writer: string | null;
  preferred: PreferredEvidence;
  failback: 'auto' | 'manual';
  failbackAfterMs: number;
}): GaleraFailover | null {
  const { writer, preferred: p } = o;
  if (writer === p.name) return null;
  const reason = why(p);
  if (!writer)
    return {
      writer,
      preferred: p.name,
      severity: 'down',
      words: `No Galera node takes writes: none is Synced in a primary component${reason ? `; ${reason}` : ''}.`,
    };
  const words = reason
    ? `Writes moved to ${writer} because ${reason}.`
    : o.failback === 'manual'
      ? `Writes go to ${writer}; ${p.name} is Synced again and takes them back only when an admin moves them (failback manual).`
      : `Writes go to ${writer}; ${p.name} is Synced again and takes them back after ${o.failbackAfterMs / 1000} s Synced.`;
  return { writer, preferred: p.name, severity: 'warn', words };
}
