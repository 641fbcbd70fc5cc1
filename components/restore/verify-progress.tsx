import type { RunView } from '@/lib/restore/types';

// The verification outside the lock, as it goes: both nodes' snapshots at one GTID position,
// rows and chunks compared per table, differing chunks; and the run's two brief lock windows.

export function VerifyProgress({ run }: { run: RunView }) {
  const s = run.snapshot;
  if (!s) return null;
  const second =
    run.lockWindowMs !== null && run.lockWindowMs !== s.lockMs ? run.lockWindowMs - s.lockMs : null;
  return (
    <div className="space-y-2 rounded border border-slate-200 p-3 text-sm" data-testid="verify-progress">
      <h3 className="font-medium">Verification outside the lock</h3>
      <p>
        Both nodes in consistent snapshots at <code className="text-xs">{s.survivorPos || '(empty)'}</code>
        {s.targetPos !== s.survivorPos && (
          <>
            {' '}
            ({run.target}: <code className="text-xs">{s.targetPos}</code>)
          </>
        )}
        ; {run.survivor} takes writes meanwhile.
      </p>
      <p data-testid="lock-windows">
        Lock windows: <strong>{s.lockMs} ms</strong> to open the snapshots
        {second !== null ? (
          <>
            {' '}
            + <strong>{second} ms</strong> to switch
          </>
        ) : (
          ''
        )}
        .
      </p>
      <table className="w-full max-w-xl text-left">
        <thead>
          <tr>
            <th className="pr-2 font-medium">table</th>
            <th className="pr-2 font-medium">rows compared</th>
            <th className="pr-2 font-medium">chunks</th>
            <th className="font-medium">differing chunks</th>
          </tr>
        </thead>
        <tbody>
          {s.tables.map((t) => (
            <tr key={t.table}>
              <td className="pr-2">{t.table}</td>
              <td className="pr-2">
                <progress
                  aria-label={`${t.table} rows compared`}
                  max={Math.max(1, t.rows)}
                  value={t.rowsDone}
                  className="mr-2 h-2 w-28 align-middle"
                />
                {t.rowsDone.toLocaleString('en')} / {t.rows.toLocaleString('en')}
              </td>
              <td className="pr-2">
                {t.chunksDone} / {t.chunks}
              </td>
              <td className={t.chunksDiffering ? 'font-medium text-red-700' : ''}>{t.chunksDiffering}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.rowsDiffering > 0 && (
        <p className="text-red-800">{s.rowsDiffering} row(s) differ in those chunks: listed below.</p>
      )}
    </div>
  );
}
