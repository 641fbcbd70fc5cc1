import type { RunView, StepView } from '@/lib/restore/types';
import { clock } from '../clock';
import { DiffTable } from './diff-table';
import { diffsAnchor } from './node-state';
import { VerifyProgress } from './verify-progress';

// A run as it goes: steps with their status, the catch-up bar, blockers, the lock window and
// the verification (green when the nodes are proven identical).

const mark: Record<StepView['status'], string> = {
  pending: '○',
  running: '◔',
  done: '✓',
  failed: '✗',
  skipped: '–',
};
const tone: Record<StepView['status'], string> = {
  pending: 'text-slate-500',
  running: 'text-blue-700 font-medium',
  done: 'text-green-700',
  failed: 'text-red-700 font-medium',
  skipped: 'text-slate-400',
};

const badge: Record<RunView['status'], string> = {
  running: 'bg-blue-100 text-blue-900',
  succeeded: 'bg-green-100 text-green-900',
  failed: 'bg-red-100 text-red-900',
  aborted: 'bg-red-100 text-red-900',
  interrupted: 'bg-amber-100 text-amber-900',
  rolled_back: 'bg-slate-200 text-slate-900',
};
const label: Record<RunView['status'], string> = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  aborted: 'aborted, nothing switched',
  interrupted: 'interrupted',
  rolled_back: 'rolled back',
};

export function RunProgress({ run }: { run: RunView }) {
  const gap = run.gap;
  const pct = gap && gap.initial > 0 ? Math.round(((gap.initial - gap.behind) / gap.initial) * 100) : 100;
  const v = run.verify;
  return (
    <section aria-labelledby="run-h" className="space-y-4 rounded border border-slate-200 p-4">
      <h2 id="run-h" className="flex flex-wrap items-center gap-3 font-semibold">
        {run.kind === 'restore' ? 'Restore' : 'Switchover'} of {run.target} from {run.survivor} (
        {run.procedure === 'paper' ? 'paper procedure' : 'sipha procedure'})
        <span data-testid="run-status" className={`rounded px-2 py-0.5 text-sm ${badge[run.status]}`}>
          {label[run.status]}
        </span>
      </h2>
      <p
        aria-live="polite"
        className={
          run.status === 'succeeded'
            ? 'text-green-800'
            : run.status === 'running'
              ? 'text-slate-800'
              : 'text-red-800'
        }
      >
        {run.message}
      </p>
      {gap && (
        <div className="space-y-1 text-sm">
          <label htmlFor="catchup" className="block">
            Catch-up: {gap.behind} transaction(s) behind {run.survivor}
          </label>
          <progress id="catchup" max={100} value={pct} className="h-2 w-full max-w-md" />
          <p className="font-mono text-xs text-slate-600">
            {run.survivor}: {gap.survivor || '(empty)'} · {run.target}: {gap.target || '(empty)'}
          </p>
        </div>
      )}
      <ol className="space-y-1 text-sm">
        {run.steps.map((s) => (
          <li key={s.id} className={tone[s.status]}>
            <span aria-hidden="true">{mark[s.status]}</span> {s.title}
            <span className="sr-only"> ({s.status})</span>
            {s.ms !== null && <span className="text-slate-500"> · {s.ms} ms</span>}
            {s.detail && <span className="block pl-5 text-slate-600">{s.detail}</span>}
          </li>
        ))}
      </ol>
      {run.blockers.length > 0 && (
        <div className="text-sm">
          <h3 className="font-medium">Sessions that could stall or bypass the lock</h3>
          <ul className="list-disc pl-5">
            {run.blockers.map((b) => (
              <li key={`${b.kind}-${b.user}-${b.id}`}>
                {b.kind === 'long_transaction' ? 'long transaction' : 'read_only bypass'}: #{b.id} {b.user},{' '}
                {b.seconds} s {b.info && <code>{b.info}</code>}
              </li>
            ))}
          </ul>
        </div>
      )}
      <VerifyProgress run={run} />
      {run.lockLeaseEndsAt !== null && run.status === 'running' && (
        <p role="status" className="rounded border border-amber-500 bg-amber-50 p-2 text-sm text-amber-900">
          {run.survivor} is read-locked now: writes to it wait. The lock lifts by itself at{' '}
          {clock(run.lockLeaseEndsAt)} at the latest.
        </p>
      )}
      {/* Mid-run, the sipha procedure's total is the first window only: verify-progress says so. */}
      {run.lockWindowMs !== null && !(run.snapshot && run.status === 'running') && (
        <p className="text-lg">
          {run.survivor} was read-locked for <strong data-testid="lock-window">{run.lockWindowMs} ms</strong>
          <span className="block text-sm text-slate-600">
            From FLUSH TABLES WITH READ LOCK to UNLOCK TABLES
            {run.snapshot ? ', both brief locks together (each window is listed above)' : ''}: the longest any
            write waited.
          </span>
        </p>
      )}
      {v && (
        <div
          className={`rounded border p-3 text-sm ${v.ok ? 'border-green-500 bg-green-50 text-green-900' : 'border-red-500 bg-red-50 text-red-900'}`}
        >
          <p className="text-base font-medium" data-testid="verification">
            {v.ok
              ? `✓ Verified: ${run.target} and ${run.survivor} are identical`
              : `✗ Verification failed: ${run.target} and ${run.survivor} differ`}
          </p>
          {v.gtidSurvivor && (
            <p className="font-mono text-xs">
              GTID {run.survivor} {v.gtidSurvivor} · {run.target} {v.gtidTarget} {v.gtidOk ? '✓' : '✗'}
            </p>
          )}
          <ul>
            {v.tables.map((t) => (
              <li key={t.table}>
                {t.survivor === null && t.target === null
                  ? `${t.table}: ✗ different (compared row by row before any lock)`
                  : run.snapshot
                    ? `${t.table} in the snapshots: ${t.survivor}, ${t.target} ${t.equal ? '✓ equal' : '✗ different'}`
                    : `CHECKSUM TABLE ${t.table}: ${run.survivor} ${t.survivor ?? '?'} · ${run.target} ${t.target ?? '?'} ${t.equal ? '✓ equal' : '✗ different'}`}
              </li>
            ))}
          </ul>
          {!v.ok && (
            <div id={diffsAnchor(run.runId)} className="scroll-mt-4">
              <DiffTable run={run} />
            </div>
          )}
        </div>
      )}
      {run.warnings.map((w) => (
        <p key={w} className="text-sm text-amber-800">
          Warning: {w}
        </p>
      ))}
    </section>
  );
}
