import type { RowDiff, RunView } from './types';

// Subscriber credentials (password, ha1, ha1b) never leave the server, not even inside a diff:
// a differing secret is replaced by a marker that still differs between the two sides, so the
// page can say "differs" without the value.

const SECRET = ['password', 'ha1', 'ha1b'];

function redactDiff(d: RowDiff): RowDiff {
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
