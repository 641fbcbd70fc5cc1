'use client';

import { clock } from './clock';
import { useOverview } from './use-overview';

const time = (iso: string | null) => (iso ? clock(iso) : 'an unknown time');

/** Says, on every page, that writes are not going to the preferred node, and why. */
export function FailoverBanner() {
  const { data } = useOverview();
  const f = data?.failover;
  if (!f) return null;
  const text = f.active
    ? `Writing to ${f.active}: ${f.preferred} is ${f.reason === 'fenced' ? 'fenced (it missed writes while down; restore it to switch back)' : 'down'} since ${time(f.since)}`
    : `No database node can take writes: ${f.preferred} is ${f.reason} since ${time(f.since)}`;
  return (
    <div
      role="alert"
      className={`px-6 py-2 text-sm font-medium text-white ${f.active ? 'bg-amber-600' : 'bg-red-700'}`}
    >
      {text}
    </div>
  );
}
