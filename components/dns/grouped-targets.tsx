import type { DnsGroup } from '@/lib/dns/groups';
import { SrvTable } from './records-table';

/**
 * A domain's SRV targets with more than one cluster (issue 14): the first stage's, then each
 * cluster's SIP servers under the cluster's name, each group saying which of its servers DNS
 * leaves out and what phones do then.
 */
export function GroupedTargets({ groups }: { groups: DnsGroup[] }) {
  return (
    <div className="space-y-4">
      {groups.map((g) => (
        <section key={g.key} aria-label={g.title} data-cluster={g.key} className="space-y-1">
          <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-600">{g.title}</h3>
          {g.rows.length > 0 ? (
            <SrvTable rows={g.rows} caption={`SRV targets: ${g.title}`} />
          ) : (
            <p className="text-sm text-slate-600">No SRV record of the domain points here.</p>
          )}
          {g.note && <p className="text-sm text-slate-600">{g.note}</p>}
        </section>
      ))}
    </div>
  );
}
