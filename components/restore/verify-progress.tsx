import type { ChunkProgress, RunView } from '@/lib/restore/types';

// The verification outside the lock, as it goes and after it ended: the run's two brief lock
// windows on the survivor (and their total), both nodes' snapshots at one GTID position, rows
// and chunks compared per table, differing chunks.

const n = (x: number) => x.toLocaleString('en');

/** The second window: measured, held now, still to come, or never taken. */
function secondWindow(run: RunView, firstMs: number): { text: string; ms: number | null } {
  const step = (id: string) => run.steps.find((s) => s.id === id)?.status;
  if (run.lockLeaseEndsAt !== null && run.status === 'running') return { text: 'held now', ms: null };
  if (step('lock') === 'done' && run.lockWindowMs !== null) {
    const ms = run.lockWindowMs - firstMs;
    return { text: `${ms} ms`, ms };
  }
  if (run.status === 'running') return { text: 'after the verification', ms: null };
  return { text: 'not taken: the run stopped before it', ms: null };
}

function tableState(t: ChunkProgress, running: boolean): { text: string; tone: string } {
  if (t.chunksDiffering > 0) return { text: `✗ ${t.chunksDiffering} chunk(s) differ`, tone: 'text-red-700' };
  if (t.chunks > 0 && t.chunksDone >= t.chunks) return { text: '✓ equal', tone: 'text-green-700' };
  if (!running) return { text: 'not finished', tone: 'text-slate-500' };
  return t.chunks > 0
    ? { text: 'comparing…', tone: 'text-blue-700' }
    : { text: 'waiting', tone: 'text-slate-500' };
}

export function VerifyProgress({ run }: { run: RunView }) {
  const s = run.snapshot;
  if (!s) return null;
  const running = run.status === 'running';
  const second = secondWindow(run, s.lockMs);
  const total = s.lockMs + (second.ms ?? 0);
  return (
    <div className="space-y-3 rounded border border-slate-200 p-3 text-sm" data-testid="verify-progress">
      <h3 className="font-medium">Verification outside the lock</h3>
      <p className="text-slate-600">Lock windows on {run.survivor}: writes to it wait only during these.</p>
      <table className="text-left" aria-label={`Lock windows on ${run.survivor}`}>
        <tbody>
          <tr>
            <th scope="row" className="pr-4 font-normal">
              1. open both snapshots at one position
            </th>
            <td data-testid="lock-window-1" className="text-right font-medium tabular-nums">
              {s.lockMs} ms
            </td>
          </tr>
          <tr>
            <th scope="row" className="pr-4 font-normal">
              2. check positions and switch
            </th>
            <td data-testid="lock-window-2" className="text-right font-medium tabular-nums">
              {second.text}
            </td>
          </tr>
          <tr className="border-t">
            <th scope="row" className="pr-4">
              total locked{second.ms === null ? ' so far' : ''}
            </th>
            <td data-testid="lock-window-total" className="text-right font-semibold tabular-nums">
              {total} ms
            </td>
          </tr>
        </tbody>
      </table>
      <p>
        Both nodes in consistent snapshots at{' '}
        <code className="text-xs break-all">{s.survivorPos || '(empty)'}</code>
        {s.targetPos !== s.survivorPos && (
          <>
            {' '}
            ({run.target}: <code className="text-xs break-all">{s.targetPos}</code>)
          </>
        )}
        ; {run.survivor} {running ? 'takes' : 'took'} writes meanwhile.
      </p>
      {s.resumed && <p data-testid="verify-resumed">{s.resumed}</p>}
      <table className="w-full max-w-3xl text-left tabular-nums" aria-label="Rows and chunks compared">
        <thead>
          <tr>
            <th className="pr-3 font-medium">table</th>
            <th className="pr-3 font-medium">rows compared</th>
            <th className="pr-3 font-medium">chunks compared</th>
            <th className="font-medium">result</th>
          </tr>
        </thead>
        <tbody>
          {s.tables.map((t) => {
            const st = tableState(t, running);
            return (
              <tr key={t.table} data-testid={`verify-${t.table}`}>
                <td className="pr-3">{t.table}</td>
                <td className="pr-3">
                  <progress
                    aria-label={`${t.table} rows compared`}
                    max={Math.max(1, t.rows)}
                    value={t.rowsDone}
                    className="mr-2 h-2 w-28 align-middle"
                  />
                  {n(t.rowsDone)} / {n(t.rows)}
                </td>
                <td className="pr-3">
                  {n(t.chunksDone)} / {n(t.chunks)}
                  {t.chunksCarried ? (
                    <span className="block text-xs text-slate-600">
                      {n(t.chunksCarried)} carried over from the interrupted run
                    </span>
                  ) : null}
                </td>
                <td className={st.tone}>{st.text}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {s.rowsDiffering > 0 && (
        <p className="text-red-800">{s.rowsDiffering} row(s) differ in those chunks: listed below.</p>
      )}
    </div>
  );
}
