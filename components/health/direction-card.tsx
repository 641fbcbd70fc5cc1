import type { DirectionHealth, DirectionStatus } from '@/lib/health/types';
import { type Health, StateDot } from '../state-dot';

const dot: Record<DirectionHealth, Health> = {
  ok: 'up',
  lagging: 'warn',
  broken: 'down',
  unknown: 'unknown',
};

export function DirectionCard({ d }: { d: DirectionStatus }) {
  return (
    <article
      aria-label={`replication ${d.from} to ${d.to}`}
      data-health={d.health}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <header className="flex items-center justify-between">
        <h3 className="font-mono text-lg font-semibold">
          {d.from} → {d.to}
        </h3>
        <StateDot health={dot[d.health]} label={d.health} />
      </header>
      <p className="mt-1 text-sm">{d.summary}</p>
      <dl className="mt-3 grid grid-cols-[11rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-500">IO thread (receive)</dt>
        <dd>{d.ioRunning ?? '—'}</dd>
        <dt className="text-slate-500">SQL thread (apply)</dt>
        <dd>{d.sqlRunning === null ? '—' : d.sqlRunning ? 'Yes' : 'No'}</dd>
        <dt className="text-slate-500">Lag (heartbeat)</dt>
        <dd>{d.lagMs === null ? '—' : `${d.lagMs} ms`}</dd>
        <dt className="text-slate-500">Seconds_Behind_Master</dt>
        <dd>{d.secondsBehind ?? 'NULL'}</dd>
        <dt className="text-slate-500">GTID received</dt>
        <dd className="break-all font-mono text-xs">
          {d.gtidIoPos ?? '—'}
          {d.usingGtid === false ? ' (not using GTID)' : ''}
        </dd>
      </dl>
      {d.errors.map((e) => (
        <div key={e.thread} role="note" className="mt-3 rounded border border-red-200 bg-red-50 p-3 text-sm">
          <p className="font-semibold text-red-800">
            {e.thread === 'io' ? 'IO' : 'SQL'} error {e.errno ?? ''}: {e.title}
          </p>
          <p className="mt-1">{e.meaning}</p>
          <p className="mt-2 font-medium">How to fix it</p>
          <ol className="ml-5 list-decimal space-y-1">
            {e.fix.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ol>
          <details className="mt-2 text-xs text-slate-600">
            <summary>Server message</summary>
            <p className="break-all font-mono">{e.message}</p>
          </details>
        </div>
      ))}
    </article>
  );
}
