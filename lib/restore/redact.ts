import type { RepairPreview } from './repair-types';
import type { RowDiff, RunView } from './types';

// Subscriber credentials (password, ha1, ha1b) never leave the server, not even inside a diff:
// a differing secret is replaced by a marker that still differs between the two sides, so the
// page can say "differs" without the value.

/** Subscriber columns whose values never leave the server (the page shows only whether they differ). */
export const SECRET_COLUMNS = ['password', 'ha1', 'ha1b'];
const SECRET = SECRET_COLUMNS;

export function redactDiff(d: RowDiff): RowDiff {
  const s = d.survivor ? { ...d.survivor } : null;
  const t = d.target ? { ...d.target } : null;
  for (const k of SECRET) {
    const same = String(s?.[k] ?? '') === String(t?.[k] ?? '');
    if (s && k in s) s[k] = same ? '(hidden)' : '(hidden: survivor value)';
    if (t && k in t) t[k] = same ? '(hidden)' : '(hidden: differs)';
  }
  return { ...d, survivor: s, target: t };
}

export function redactRun<T extends RunView | null>(v: T): T {
  if (!v?.verify?.diffs.length) return v;
  return { ...v, verify: { ...v.verify, diffs: v.verify.diffs.map(redactDiff) } };
}

/** A repair preview for the page: the diffs as above, and no secret in any previewed row. */
export function redactRepair(p: RepairPreview | null): RepairPreview | null {
  if (!p) return null;
  const hide = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, SECRET.includes(k) ? '(hidden)' : v]));
  return {
    ...p,
    subscriber: p.subscriber.map((c) => ({ ...c, row: hide(c.row) })),
    subscriberDiffs: p.subscriberDiffs.map((d) => ({ ...redactDiff(d), choice: d.choice })),
    after: p.after ? { ...p.after, diffs: p.after.diffs.map(redactDiff) } : null,
  };
}
