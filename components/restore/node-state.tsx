import type { Candidate, LagView } from '@/lib/replication/restore/overview';

// How far behind a returning node is, in the two measures an operator can check elsewhere:
// the GTID difference (transactions) and the heartbeat lag of active → node (time).

const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

export function formatLag(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function lagText(lag: LagView | null, reachable: boolean): string {
  if (!reachable) return 'unknown: the node does not answer';
  if (!lag) return 'no heartbeat sample yet';
  // The summary repeats the lag when replication is healthy; only its news is added.
  const state = lag.health === 'ok' ? 'replication running' : lag.summary;
  if (lag.lagMs !== null) return `${formatLag(lag.lagMs)} · ${state}`;
  if (lag.secondsBehind !== null) return `${lag.secondsBehind} s (Seconds_Behind_Master) · ${state}`;
  return lag.summary;
}

/** The card's heading: fenced nodes say how stale they are in one line. */
export function candidateTitle(c: Candidate): string {
  if (c.role !== 'fenced') return `${c.node}: ${c.role} (planned switchover possible)`;
  if (!c.reachable) return `${c.node}: fenced, down`;
  const gap = c.plan?.gap;
  if (!gap) return `${c.node}: fenced`;
  return gap.behind > 0
    ? `${c.node}: fenced and stale, ${gap.behind} transaction(s) behind ${c.plan?.survivor}`
    : `${c.node}: fenced, caught up through replication but not yet verified`;
}

export function NodeState({ c, active }: { c: Candidate; active: string | null }) {
  const gap = c.plan?.gap;
  const from = c.lag?.from ?? active ?? 'the active node';
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-600">Behind {gap ? c.plan?.survivor : from} (GTID)</dt>
      <dd data-testid={`gtid-gap-${c.node}`}>
        {gap ? (
          <>
            <strong>{gap.behind}</strong> transaction(s)
            <span className="block font-mono text-xs break-all text-slate-600">
              {c.plan?.survivor}: {gap.survivor || '(empty)'} · {c.node}: {gap.target || '(empty)'}
            </span>
          </>
        ) : c.reachable ? (
          'see the run above'
        ) : (
          'unknown until the node answers'
        )}
      </dd>
      <dt className="text-slate-600">
        Heartbeat lag {from} → {c.node}
      </dt>
      <dd data-testid={`heartbeat-lag-${c.node}`}>{lagText(c.lag, c.reachable)}</dd>
      {c.role === 'fenced' && (
        <>
          <dt className="text-slate-600">Fenced</dt>
          <dd>
            {c.fencedSince ? `since ${clock(c.fencedSince)}` : 'yes'}
            {c.fenceReason ? ` · ${c.fenceReason}` : ''}
            {c.readOnly ? ' · read_only=ON (SIP servers cannot write to it)' : ''}
          </dd>
        </>
      )}
    </dl>
  );
}
