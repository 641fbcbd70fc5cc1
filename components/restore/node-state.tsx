import type { Candidate, FailedCheck, LagView } from '@/lib/restore/overview';
import { clock } from '../clock';

// How far behind a returning node is, in the two measures an operator can check elsewhere:
// the GTID difference (transactions) and the heartbeat lag of active → node (time).

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

/** What the last failed verification found, in one phrase: "3 differing row(s) in subscriber". */
export function failedCheckText(f: FailedCheck): string {
  const tables = f.tables.join(' and ') || 'no table';
  if (f.rows > 0) return `${f.truncated ? 'more than ' : ''}${f.rows} differing row(s) in ${tables}`;
  return f.tables.length ? `${tables} differ` : 'GTID positions differ';
}

/** A repair ran after the last failed verification and compared the two nodes identical. */
export const repairedSince = (c: Candidate) =>
  !!c.repair?.after?.ok && c.repair.createdAt > (c.failedCheck?.finishedAt ?? 0);

/** The card's heading: fenced nodes say how stale they are in one line. */
export function candidateTitle(c: Candidate): string {
  if (c.role !== 'fenced') return `${c.node}: ${c.role} (planned switchover possible)`;
  if (!c.reachable) return `${c.node}: fenced, down`;
  const gap = c.plan?.gap;
  // A failed verification outranks "caught up": replication cannot repair rows that differ.
  // A repair that compared the nodes identical since then outranks the failure.
  if (c.failedCheck && repairedSince(c))
    return `${c.node}: fenced, repaired and compared identical: restore it now`;
  const failed = c.failedCheck ? `the last verification failed: ${failedCheckText(c.failedCheck)}` : null;
  if (!gap) return failed ? `${c.node}: fenced, ${failed}` : `${c.node}: fenced`;
  if (gap.behind > 0)
    return `${c.node}: fenced and stale, ${gap.behind} transaction(s) behind ${c.plan?.survivor}${failed ? `; ${failed}` : ''}`;
  return failed
    ? `${c.node}: fenced, caught up through replication, but ${failed}`
    : `${c.node}: fenced, caught up through replication but not yet verified`;
}

/** The anchor of a run's differing-rows table (run-progress.tsx), for links from the node card. */
export const diffsAnchor = (runId: string) => `diffs-${runId.slice(0, 8)}`;

function FailedCheckRow({ f, shown, repaired }: { f: FailedCheck; shown: boolean; repaired: boolean }) {
  return (
    <>
      <dt className="text-red-800">Last verification</dt>
      <dd data-testid="last-verification" className="text-red-800">
        ✗ failed{f.finishedAt ? ` at ${clock(f.finishedAt)}` : ''} (run {f.runId.slice(0, 8)}):{' '}
        {failedCheckText(f)}
        {f.gtidOk ? '' : '; GTID positions differ'}.{' '}
        {repaired && (
          <span className="block font-medium text-green-800">
            Repaired since: the two nodes were compared again and are identical.
          </span>
        )}
        <span className="block">
          Nothing was deleted; replication cannot repair rows that differ.{' '}
          {shown && f.rows > 0 ? (
            <a href={`#${diffsAnchor(f.runId)}`} className="text-blue-700 underline">
              See the differing rows and your options
            </a>
          ) : (
            'The rows and your options are listed in that run.'
          )}
        </span>
      </dd>
    </>
  );
}

export function NodeState({
  c,
  active,
  shownRunId,
}: {
  c: Candidate;
  active: string | null;
  /** The run whose progress (and differing rows) the page shows. */
  shownRunId: string | null;
}) {
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
      {c.failedCheck && (
        <FailedCheckRow
          f={c.failedCheck}
          shown={c.failedCheck.runId === shownRunId}
          repaired={repairedSince(c)}
        />
      )}
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
