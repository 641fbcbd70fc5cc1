import type { NodeStatus, RegisterProbeStatus, SipDbStatus, SipService, SipStatus } from './types';

// One SIP server in plain words, from its OPTIONS probes, the synthetic REGISTER, its
// db_cluster list and the console's view of the nodes. Pure, so every sentence is tested.

const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function registerFailure(r: RegisterProbeStatus): string {
  const what = r.step === 'challenge' ? 'the first REGISTER' : 'REGISTER';
  if (r.status) return `${what} got ${r.status}${r.reason ? ` ${r.reason}` : ''} after ${secs(r.elapsedMs)}`;
  return r.error === 'timeout'
    ? `${what} got no answer within ${secs(r.elapsedMs)}`
    : `${what} failed (${r.error ?? 'no answer'}) after ${secs(r.elapsedMs)}`;
}

/** The node to blame: the first one of the server's list the console cannot reach or has fenced. */
function databaseClause(db: SipDbStatus, nodes: NodeStatus[]): string {
  for (const name of db.order) {
    const n = nodes.find((x) => x.name === name);
    if (n?.reachable === false) return `; its database ${name} does not answer`;
  }
  const using = db.using ? nodes.find((x) => x.name === db.using) : undefined;
  if (using?.role === 'fenced') return `; its database ${using.name} is fenced`;
  return db.using ? `; its database ${db.using} answers the console` : '';
}

/** The node the server uses now (its db_cluster list), not necessarily the one the last probe went through. */
function through(db: SipDbStatus): string {
  if (!db.using) return '';
  const first = db.order[0];
  if (first && db.using !== first) return `; it uses ${db.using} now (switched from ${first})`;
  return `; it uses ${db.using}`;
}

export function sipService(opts: {
  sip: SipStatus;
  register: RegisterProbeStatus | null;
  db: SipDbStatus;
  nodes: NodeStatus[];
}): SipService {
  const { sip, register, db, nodes } = opts;
  const base = { name: sip.name, register, db };
  if (sip.up === null)
    return { ...base, health: 'unknown', label: 'checking…', words: `${sip.name}: checking…` };
  if (!sip.up) {
    const why = sip.udp?.error ?? sip.tcp?.error ?? 'no answer';
    return { ...base, health: 'down', label: 'down', words: `${sip.name} does not answer OPTIONS (${why})` };
  }
  if (!register)
    return {
      ...base,
      health: db.error ? 'down' : 'up',
      label: 'up',
      words: `${sip.name} answers OPTIONS; REGISTER not checked yet${db.error ? `. ${db.error}` : ''}`,
    };
  if (!register.ok)
    return {
      ...base,
      health: 'down',
      label: 'cannot register',
      words: `${sip.name} answers OPTIONS but cannot register: ${registerFailure(register)}${databaseClause(db, nodes)}`,
    };
  const words = `${sip.name} answers OPTIONS and registers (REGISTER 200 in ${secs(register.elapsedMs)})${through(db)}`;
  if (db.error && db.twoWriters)
    return { ...base, health: 'warn', label: 'two writers: verify', words: `${words}. ${db.error}` };
  if (db.error)
    return { ...base, health: 'down', label: 'writes to a fenced node', words: `${words}. ${db.error}` };
  const switched = db.using !== null && db.order[0] !== undefined && db.using !== db.order[0];
  return {
    ...base,
    health: switched ? 'warn' : 'up',
    label: switched ? 'serving, failed over' : 'serving',
    words,
  };
}
