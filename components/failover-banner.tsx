'use client';

import type { FailoverInfo } from '@/lib/health/types';
import { clock } from './clock';
import { useOverview } from './use-overview';

const time = (iso: string | null) => (iso ? clock(iso) : 'an unknown time');

/**
 * Says, on every page, that writes are not going to the preferred node, and why; and which
 * pairs of nodes may differ without a failover (a SIP server wrote to both), until verified.
 */
export function FailoverBanner() {
  const { data } = useOverview();
  // With more than one cluster, every cluster's failover and pairs, each naming its cluster.
  // A Galera cluster fences nothing: its own words say why writes left the first node.
  const all = data ? (data.clusters ?? [data]) : [];
  const named = all.length > 1;
  const verify = all.flatMap((c) => c.verify ?? []);
  return (
    <>
      {all.map((c) => {
        const prefix = named ? `Cluster ${c.cluster}: ` : '';
        const g = c.galera;
        if (g)
          return g.failover ? (
            <div
              key={`g-${c.cluster}`}
              role="alert"
              className={`px-6 py-2 text-sm font-medium text-white ${g.failover.severity === 'down' ? 'bg-red-700' : 'bg-amber-600'}`}
            >
              {prefix}
              {g.failover.words}
            </div>
          ) : null;
        return c.failover ? (
          <Failover key={`${prefix}${c.failover.preferred}`} f={c.failover} prefix={prefix} />
        ) : null;
      })}
      {verify.map((v) => (
        <div
          key={v.nodes.join('+')}
          role="alert"
          className="bg-amber-600 px-6 py-2 text-sm font-medium text-white"
        >
          {`${v.nodes.join(' and ')} may differ since ${time(v.since)}: ${v.reason}. Compare and repair them before trusting either (on Restore: a planned switchover and the restore after it check both and repair what differs; this clears with that restore).`}
        </div>
      ))}
    </>
  );
}

function Failover({ f, prefix }: { f: FailoverInfo; prefix: string }) {
  const text =
    prefix +
    (f.active
      ? `Writing to ${f.active}: ${f.preferred} is ${f.reason === 'fenced' ? 'fenced (it missed writes while down; restore it to switch back)' : 'down'} since ${time(f.since)}`
      : `No database node can take writes: ${f.preferred} is ${f.reason} since ${time(f.since)}`);
  return (
    <div
      role="alert"
      className={`px-6 py-2 text-sm font-medium text-white ${f.active ? 'bg-amber-600' : 'bg-red-700'}`}
    >
      {text}
    </div>
  );
}
