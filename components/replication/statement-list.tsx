import type { LogEntry } from '@/lib/wizard/types';

// Statements as the operator sees them: node, masked SQL, outcome.

const badge: Record<LogEntry['outcome'], string> = {
  ok: 'bg-green-100 text-green-800',
  failed: 'bg-red-100 text-red-800',
  planned: 'bg-slate-100 text-slate-700',
};

export function StatementList({ entries, caption }: { entries: LogEntry[]; caption: string }) {
  if (entries.length === 0) return null;
  return (
    <figure>
      <figcaption className="mb-1 text-sm font-medium text-slate-700">{caption}</figcaption>
      <ol className="max-h-72 overflow-auto rounded border border-slate-200 bg-slate-50 font-mono text-xs">
        {entries.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only; the index is stable.
          <li key={i} className="flex gap-2 border-b border-slate-200 px-2 py-1 last:border-0">
            <span className="w-8 shrink-0 text-slate-500">{e.node}</span>
            <span className={`shrink-0 rounded px-1 ${badge[e.outcome]}`}>{e.outcome}</span>
            <span className="break-all">
              {e.sql}
              {e.note && <span className="block text-red-700">{e.note}</span>}
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
