import type { Dialect } from '../dialect';
import type { CheckWithFix } from './preflight-checks';
import type { NodeFacts } from './preflight-facts';

// The console acknowledges a write once the active node has committed it. With asynchronous
// replication that write is lost if the node dies before its peer received it; lossless
// semi-sync (AFTER_SYNC) makes the commit wait until a peer has the event. Recommended, not
// blocking: replication works without it, the failover guarantee does not.

export function semiSyncCheck({
  f,
  d,
  cnf,
}: {
  f: NodeFacts;
  d: Dialect;
  cnf: string;
}): Omit<CheckWithFix, 'node'> {
  const s = f.semiSync;
  const ok = s.sourceEnabled === true && s.replicaEnabled === true && s.waitPoint === 'AFTER_SYNC';
  const base = {
    id: 'semisync',
    label: 'Semi-synchronous replication (lossless)',
    severity: 'warning' as const,
    ok,
  };
  if (ok)
    return {
      ...base,
      reason: `on: a commit on ${f.name} waits (AFTER_SYNC) until a peer has it${s.timeoutMs ? `, at most ${s.timeoutMs} ms, then continues asynchronously` : ''}${s.waitNoReplica === false ? '; no wait while no peer is connected' : ''}.`,
    };
  const now =
    s.sourceEnabled === null
      ? 'the semi-sync plugins are not installed'
      : `source wait ${s.sourceEnabled ? 'ON' : 'OFF'}, replica acknowledgement ${s.replicaEnabled ? 'ON' : 'OFF'}, wait point ${s.waitPoint}`;
  return {
    ...base,
    reason: `Off (${now}): replication is asynchronous, so a write the console reported saved on ${f.name} is lost if ${f.name} fails before its peer received it. Semi-sync makes each commit wait until a peer has the write (at most 1 s; with no peer connected it does not wait).`,
    statements: d.enableSemiSync({
      installSourcePlugin: s.sourceEnabled === null,
      installReplicaPlugin: s.replicaEnabled === null,
    }),
    myCnf: cnf,
    fix: 'Apply turns it on now; keep the my.cnf lines so it stays on after a restart. Replicas start acknowledging when their IO thread reconnects (the Both directions step does that).',
  };
}
