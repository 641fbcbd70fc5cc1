import type { ReactNode } from 'react';

/** A column heading; `{ hidden }` is read by screen readers only (e.g. a column of buttons). */
export type Column = string | { hidden: string } | false;

/** The console's table frame: one heading per column (false leaves it out), `children` the rows. */
export function DataTable({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c) =>
              c === false ? null : typeof c === 'string' ? (
                <th key={c} className="px-3 py-2">
                  {c}
                </th>
              ) : (
                <th key={c.hidden} className="px-3 py-2">
                  <span className="sr-only">{c.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
