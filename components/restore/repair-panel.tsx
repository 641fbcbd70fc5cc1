'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/action-state';
import type { RepairChange, RepairPreview } from '@/lib/restore/repair-types';

// Repair of what the verification found different on a fenced node: the operator chooses per
// subscriber row, previews every change (registrations are merged: one-sided rows copied, the
// newer expires wins), then applies exactly the preview. Secrets arrive already redacted.

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;
const idle: ActionState = { status: 'idle' };
type Row = Record<string, unknown> | null;

const show = (r: Row, cols: string[]) =>
  r ? cols.map((k) => `${k}=${r[k] === null ? 'NULL' : String(r[k])}`).join(', ') : '(missing)';
const differing = (a: Row, b: Row) =>
  [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].filter(
    (k) => String(a?.[k] ?? '') !== String(b?.[k] ?? ''),
  );

function Changes({ title, changes, p }: { title: string; changes: RepairChange[]; p: RepairPreview }) {
  if (!changes.length) return null;
  return (
    <table className="w-full table-fixed border-collapse text-xs">
      <caption className="text-left font-medium">{title}</caption>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.node}-${c.op}-${c.key}-${String(c.row.id)}`}>
            <td className="w-24 border px-1">{c.node === 'survivor' ? p.survivor : p.target}</td>
            <td className="w-14 border px-1">{c.op}</td>
            <td className="w-48 border px-1 font-mono break-all">{c.key}</td>
            <td className="border px-1">
              {c.why}
              <span className="block font-mono break-all text-slate-600">
                {show(
                  c.row,
                  ['id', 'username', 'domain', 'contact', 'expires'].filter((k) => k in c.row),
                )}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RepairPanel({
  node,
  repair: p,
  preview,
  apply,
}: {
  node: string;
  repair: RepairPreview | null;
  preview: Action;
  apply: Action;
}) {
  const [ps, previewAction, previewing] = useActionState(preview, idle);
  const [as, applyAction, applying] = useActionState(apply, idle);
  const said = [ps, as]
    .map((s) => (s.status === 'saved' || s.status === 'failed' ? s.message : ''))
    .join(' ');
  const n = p ? p.location.length + p.subscriber.length : 0;
  return (
    <section aria-label={`Repair ${node}`} className="space-y-3 rounded border border-red-300 p-3 text-sm">
      <h3 className="font-medium">Repair what differs on {node}</h3>
      <form action={previewAction} className="space-y-2">
        <input type="hidden" name="target" value={node} />
        {p && p.subscriberDiffs.length > 0 && (
          <fieldset className="space-y-1">
            <legend className="font-medium">
              subscriber rows that differ: choose for each (none is changed without a choice)
            </legend>
            {p.subscriberDiffs.map((d) => (
              <div key={d.key} className="rounded border p-1">
                <p className="font-mono text-xs">
                  id {d.key}: {p.survivor}: {show(d.survivor, differing(d.survivor, d.target))} · {p.target}:{' '}
                  {show(d.target, differing(d.survivor, d.target))}
                </p>
                {(['survivor', 'target', 'delete'] as const).map((c) => (
                  <label key={c} className="mr-3">
                    <input type="radio" name={`choice.${d.key}`} value={c} defaultChecked={d.choice === c} />{' '}
                    {c === 'survivor'
                      ? `keep ${p.survivor}'s`
                      : c === 'target'
                        ? `keep ${p.target}'s`
                        : 'delete on both'}
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={previewing} className="rounded border border-slate-800 px-3 py-1">
          {p ? 'Preview again' : 'Find the differences and preview a repair'}
        </button>
      </form>
      {p && (
        <div className="space-y-2">
          <p>
            Read at {p.position} (both nodes in snapshots, brief lock): {p.location.length} location and{' '}
            {p.subscriber.length} subscriber change(s). Changes are made on each node outside replication.
          </p>
          <Changes
            title="location: merge (one-sided rows copied, newer expires wins)"
            changes={p.location}
            p={p}
          />
          <Changes title="subscriber: as chosen" changes={p.subscriber} p={p} />
          <form action={applyAction}>
            <input type="hidden" name="target" value={node} />
            <input type="hidden" name="digest" value={p.digest} />
            {p.subscriberDiffs.map((d) =>
              d.choice ? <input key={d.key} type="hidden" name={`choice.${d.key}`} value={d.choice} /> : null,
            )}
            <button
              type="submit"
              disabled={applying || n === 0}
              className="rounded bg-red-700 px-3 py-1 text-white disabled:opacity-50"
            >
              Apply these {n} change(s)
            </button>
          </form>
          {p.after && (
            <p data-testid="repair-after" className={p.after.ok ? 'text-green-800' : 'text-red-800'}>
              Verified again at {p.after.gtidSurvivor}:{' '}
              {p.after.ok
                ? 'identical; the restore can run now.'
                : `${p.after.diffs.length} row(s) still differ.`}
            </p>
          )}
        </div>
      )}
      <p aria-live="polite">{said}</p>
    </section>
  );
}
