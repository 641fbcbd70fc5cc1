import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { listAudit } from '@/lib/audit/query';
import { requirePageUser } from '@/lib/auth/guard';

export const metadata: Metadata = { title: 'Audit log' };

const filterSchema = z.object({
  actor: z.string().max(96).optional().catch(undefined),
  action: z.string().max(64).optional().catch(undefined),
  outcome: z.enum(['ok', 'failed', 'refused']).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

const outcomeStyle = { ok: 'text-emerald-700', failed: 'text-red-700', refused: 'text-amber-700' } as const;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageUser('viewer');
  const filter = filterSchema.parse(await searchParams);
  const { rows, next, node } = await listAudit(filter);
  const qs = (extra: Record<string, string | number | undefined>) =>
    new URLSearchParams(
      Object.entries({ ...filter, ...extra }).filter(([, v]) => v !== undefined && v !== '') as [
        string,
        string,
      ][],
    ).toString();
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Audit log</h1>
      <form className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          Actor
          <input
            name="actor"
            defaultValue={filter.actor}
            className="rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          Action
          <input
            name="action"
            defaultValue={filter.action}
            placeholder="e.g. user."
            className="rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          Outcome
          <select
            name="outcome"
            defaultValue={filter.outcome ?? ''}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="failed">failed</option>
            <option value="refused">refused</option>
          </select>
        </label>
        <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-white">
          Filter
        </button>
      </form>
      <table className="w-full border-collapse text-sm">
        <thead>
          <tr className="border-b text-left text-slate-500">
            <th className="py-2 pr-3">Time (UTC)</th>
            <th className="pr-3">Actor</th>
            <th className="pr-3">Action</th>
            <th className="pr-3">Target</th>
            <th className="pr-3">Node</th>
            <th className="pr-3">Outcome</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-b border-slate-100 align-top">
              <td className="py-1.5 pr-3 font-mono text-xs whitespace-nowrap">
                {new Date(r.at).toISOString().replace('T', ' ').slice(0, 23)}
              </td>
              <td className="pr-3">{r.actor}</td>
              <td className="pr-3 font-mono text-xs">{r.action}</td>
              <td className="pr-3 break-all">{r.target}</td>
              <td className="pr-3 font-mono">{r.node ?? '—'}</td>
              <td className={`pr-3 font-medium ${outcomeStyle[r.outcome]}`}>{r.outcome}</td>
              <td className="text-slate-600 break-words">{r.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="mt-4 text-slate-500">No entries match.</p>}
      <div className="mt-4 flex justify-between text-sm text-slate-500">
        <span>Read from {node}</span>
        {next && (
          <Link href={`/audit?${qs({ before: next })}`} className="text-blue-700 underline">
            Older entries →
          </Link>
        )}
      </div>
    </>
  );
}
