import { SECRET_COLUMNS } from '@/lib/restore/redact';
import type { RowDiff, RunView } from '@/lib/restore/types';

// The rows that differ, side by side, and what the operator can do. sipha never deletes or
// overwrites rows on its own.

// Subscriber credentials never reach the browser, even in a diff: only whether they differ.
const SECRET = new Set(SECRET_COLUMNS);
const val = (k: string, v: unknown) => (SECRET.has(k) ? '(hidden)' : v === null ? 'NULL' : String(v));

/** The columns that differ first (what the operator must decide on), then the rest of the row. */
function changed(d: RowDiff): string[] {
  const keys = [...new Set([...Object.keys(d.survivor ?? {}), ...Object.keys(d.target ?? {})])];
  return keys.filter((k) => String(d.survivor?.[k] ?? '') !== String(d.target?.[k] ?? ''));
}

function Side({ row, diff }: { row: Record<string, unknown> | null; diff: string[] }) {
  if (!row) return <span className="font-medium">(missing)</span>;
  return (
    <>
      {diff.map((k) => (
        <span key={k} className="block font-medium">
          {k}={SECRET.has(k) ? '(differs, hidden)' : val(k, row[k])}
        </span>
      ))}
      <span className="block text-slate-600">
        {Object.entries(row)
          .filter(([k]) => !diff.includes(k))
          .map(([k, v]) => `${k}=${val(k, v)}`)
          .join(', ')}
      </span>
    </>
  );
}

export function DiffTable({ run }: { run: RunView }) {
  const v = run.verify;
  if (!v) return null;
  // The row-by-row precheck of subscriber stops a run before location is compared at all.
  const precheckOnly = v.tables.length === 1 && v.tables[0]?.survivor === null;
  return (
    <div className="mt-2 space-y-2">
      {precheckOnly && (
        <p>
          location was not compared: the run stopped before. The repair panel of {run.target} compares both
          tables.
        </p>
      )}
      <table className="w-full table-fixed border-collapse text-xs">
        <caption className="text-left font-medium">
          Differing rows (subscriber by id, location by ruid){v.diffsTruncated ? ', first 50' : ''}
        </caption>
        <thead>
          <tr>
            <th className="w-24 border px-1 text-left">table</th>
            <th className="w-40 border px-1 text-left">key</th>
            <th className="border px-1 text-left">on {run.survivor} (survivor)</th>
            <th className="border px-1 text-left">on {run.target}</th>
          </tr>
        </thead>
        <tbody>
          {v.diffs.map((d) => (
            <tr key={`${d.table}-${d.key}`}>
              <td className="border px-1">{d.table}</td>
              <td className="border px-1 font-mono break-all">{d.key}</td>
              <td className="border px-1 font-mono break-all">
                <Side row={d.survivor} diff={changed(d)} />
              </td>
              <td className="border px-1 font-mono break-all">
                <Side row={d.target} diff={changed(d)} />
              </td>
            </tr>
          ))}
          {v.diffs.length === 0 && (
            <tr>
              <td colSpan={4} className="border px-1">
                No differing rows found any more (they may have replicated since).
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p>
        Repair them with the repair panel of {run.target} (a preview first, every change audited), or: correct
        the rows on {run.target} by hand (it is fenced and read-only; use an account with SUPER/READ ONLY
        ADMIN and <code>SET sql_log_bin = 0</code>) and run the restore again; or, if {run.target}&apos;s rows
        are the right ones, apply them on {run.survivor} through the console so they replicate; or rebuild{' '}
        {run.target} from {run.survivor} with the replication wizard. Nothing was deleted.
      </p>
    </div>
  );
}
