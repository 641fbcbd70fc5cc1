'use client';

import { useActionState, useState } from 'react';
import type { ActionState } from '@/lib/action-state';
import { SECRET_COLUMNS } from '@/lib/restore/redact';
import type { RepairChange, RepairPreview, SubscriberChoice } from '@/lib/restore/repair-types';

// Repair of what the verification found different on a fenced node: the operator chooses per
// subscriber row, previews every change (registrations are merged: one-sided rows copied, the
// newer expires wins), then applies exactly the preview. Secrets arrive already redacted.

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;
const idle: ActionState = { status: 'idle' };
type Row = Record<string, unknown> | null;

// Secrets arrive as markers that differ when the values do; the page says only "(hidden)".
const value = (k: string, v: unknown) =>
  SECRET_COLUMNS.includes(k) ? '(hidden)' : v === null ? 'NULL' : String(v);
const show = (r: Row, cols: string[]) =>
  r ? cols.map((k) => `${k}=${value(k, r[k])}`).join(', ') : '(no such row)';
const differing = (a: Row, b: Row) =>
  [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].filter(
    (k) => String(a?.[k] ?? '') !== String(b?.[k] ?? ''),
  );
const userOf = (a: Row, b: Row) => {
  const r = a ?? b;
  return r ? `${String(r.username)}@${String(r.domain)}` : '';
};
const said = (s: ActionState) =>
  s.status === 'saved' || s.status === 'failed'
    ? s.message
    : s.status === 'invalid'
      ? (s.message ?? Object.values(s.fieldErrors).flat().join(' '))
      : '';

function Changes({ title, changes, p }: { title: string; changes: RepairChange[]; p: RepairPreview }) {
  if (!changes.length) return null;
  return (
    <table className="w-full table-fixed border-collapse text-xs">
      <caption className="text-left font-medium">{title}</caption>
      <thead>
        <tr className="text-left">
          <th className="w-24 border px-1 font-medium">on node</th>
          <th className="w-14 border px-1 font-medium">change</th>
          <th className="w-48 border px-1 font-medium">key</th>
          <th className="border px-1 font-medium">why, and the row</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.node}-${c.op}-${c.key}-${String(c.row.id)}`}>
            <td className="border px-1">
              {c.node === 'survivor' ? `${p.survivor} (survivor)` : `${p.target} (returning)`}
            </td>
            <td className={`border px-1 ${c.op === 'delete' ? 'text-red-800' : 'text-green-800'}`}>{c.op}</td>
            <td className="border px-1 font-mono break-all">{c.key}</td>
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
  // The choices on screen, to tell whether the preview shows them (Apply applies the preview's).
  const [picked, setPicked] = useState<Record<string, SubscriberChoice>>({});
  // Only the newest answer is shown: "nothing changed yet" must not linger after an apply.
  const [last, setLast] = useState<'preview' | 'apply'>('preview');
  const previewed = Object.fromEntries(
    (p?.subscriberDiffs ?? []).filter((d) => d.choice).map((d) => [d.key, d.choice as SubscriberChoice]),
  );
  const unpreviewed = Object.entries(picked).some(([k, v]) => previewed[k] !== v);
  const n = p ? p.location.length + p.subscriber.length : 0;
  const undecided = p ? p.subscriberDiffs.filter((d) => !d.choice).length : 0;
  const done = p?.applied != null;
  return (
    <section aria-label={`Repair ${node}`} className="space-y-3 rounded border border-red-300 p-3 text-sm">
      <h3 className="font-medium">Repair what differs on {node}</h3>
      <p className="text-slate-700">
        1. Find the differences (both nodes read at one position; nothing changes). 2. Choose for each
        subscriber row. 3. Preview with your choices. 4. Apply exactly that preview: every change is audited
        and the two nodes are compared again. Then run the restore.
      </p>
      <form
        action={(fd) => {
          setPicked({});
          setLast('preview');
          previewAction(fd);
        }}
        className="space-y-2"
      >
        <input type="hidden" name="target" value={node} />
        {p && p.subscriberDiffs.length > 0 && !done && (
          <fieldset className="space-y-1">
            <legend className="font-medium">
              subscriber rows that differ: choose for each (a row without a choice is left as it is on both
              nodes)
            </legend>
            {p.subscriberDiffs.map((d) => {
              const cols = differing(d.survivor, d.target);
              return (
                <div key={d.key} className="rounded border p-1" data-testid={`subscriber-diff-${d.key}`}>
                  <p className="font-medium">
                    id {d.key} · {userOf(d.survivor, d.target)} · differs in {cols.join(', ')}
                  </p>
                  <p className="font-mono text-xs break-all">
                    {p.survivor} (survivor): {show(d.survivor, cols)}
                  </p>
                  <p className="font-mono text-xs break-all">
                    {p.target} (returning): {show(d.target, cols)}
                  </p>
                  {(['survivor', 'target', 'delete'] as const).map((c) => (
                    <label key={c} className="mr-4">
                      <input
                        type="radio"
                        name={`choice.${d.key}`}
                        value={c}
                        defaultChecked={d.choice === c}
                        onChange={() => setPicked((x) => ({ ...x, [d.key]: c }))}
                      />{' '}
                      {c === 'survivor'
                        ? `keep ${p.survivor}'s (survivor)`
                        : c === 'target'
                          ? `keep ${p.target}'s (returning node)`
                          : 'delete on both nodes'}
                    </label>
                  ))}
                </div>
              );
            })}
          </fieldset>
        )}
        <button
          type="submit"
          disabled={previewing}
          className={`rounded px-3 py-1 ${unpreviewed ? 'bg-slate-800 text-white' : 'border border-slate-800'}`}
        >
          {!p || done ? 'Find the differences and preview a repair' : 'Preview with these choices'}
        </button>
      </form>
      {p && (
        <div className="space-y-2">
          <p>
            {done ? 'Applied' : 'Preview'}, read at <code className="text-xs break-all">{p.position}</code>:{' '}
            {p.location.length} location and {p.subscriber.length} subscriber change(s)
            {undecided > 0 && !done ? `; ${undecided} subscriber row(s) still without a choice` : ''}. Each
            node is changed outside replication, in one transaction.
          </p>
          <Changes
            title="location: merge (rows only on one node are copied; for the same phone the newer expires wins)"
            changes={p.location}
            p={p}
          />
          <Changes title="subscriber: as you chose" changes={p.subscriber} p={p} />
          {!done && (
            <form
              action={(fd) => {
                setLast('apply');
                applyAction(fd);
              }}
            >
              <input type="hidden" name="target" value={node} />
              <input type="hidden" name="digest" value={p.digest} />
              {p.subscriberDiffs.map((d) =>
                d.choice ? (
                  <input key={d.key} type="hidden" name={`choice.${d.key}`} value={d.choice} />
                ) : null,
              )}
              <button
                type="submit"
                disabled={applying || n === 0 || unpreviewed}
                className="rounded bg-red-700 px-3 py-1 text-white disabled:opacity-50"
              >
                Apply these {n} change(s)
              </button>
              {unpreviewed && (
                <span className="ml-2 text-amber-800">
                  Your choices changed: preview them before applying.
                </span>
              )}
            </form>
          )}
          {p.after && (
            <p
              data-testid="repair-after"
              className={`font-medium ${p.after.ok ? 'text-green-800' : 'text-red-800'}`}
            >
              {p.applied} change(s) applied. Compared again at {p.after.gtidSurvivor}:{' '}
              {p.after.ok
                ? `✓ identical; restore ${node} now.`
                : `✗ ${p.after.diffs.length} row(s) still differ: preview again.`}
            </p>
          )}
        </div>
      )}
      <p aria-live="polite">{said(last === 'apply' ? as : ps)}</p>
    </section>
  );
}
