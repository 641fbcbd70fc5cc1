import type { Metadata } from 'next';
import { ClusterPicker } from '@/components/cluster-picker';
import { DrainPanel, type DrainRequest } from '@/components/dns/drain-panel';
import { GroupedTargets } from '@/components/dns/grouped-targets';
import { NaptrTable, SrvTable } from '@/components/dns/records-table';
import { DnsWarnings } from '@/components/dns/warnings';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { pageCluster } from '@/lib/clusters/page-cluster';
import { getConfig } from '@/lib/config/load';
import { previewDrain } from '@/lib/dns/drain';
import type { DrainPlan } from '@/lib/dns/drain-plan';
import { drainSchema } from '@/lib/dns/drain-schema';
import { groupTargets } from '@/lib/dns/groups';
import { getDnsView } from '@/lib/dns/view';
import { publicError } from '@/lib/errors';
import { drainServer } from './actions';

export const metadata: Metadata = { title: 'DNS' };

type Search = Promise<Record<string, string | string[] | undefined>>;

async function preview(search: Record<string, unknown>) {
  if (!search.server) return { request: null, plan: null, problem: null };
  const parsed = drainSchema.safeParse(search);
  if (!parsed.success)
    return { request: null, plan: null, problem: 'Pick a domain, a server and an action.' };
  try {
    const plan: DrainPlan = await previewDrain(parsed.data);
    return { request: parsed.data as DrainRequest, plan, problem: null };
  } catch (e) {
    return { request: parsed.data as DrainRequest, plan: null, problem: publicError(e).message };
  }
}

export default async function DnsPage({ searchParams }: { searchParams: Search }) {
  const user = await requirePageUser('viewer');
  const search = await searchParams;
  // ?cluster=NAME shows that cluster's group (an unknown one: 404); none: every cluster's.
  const only = search.cluster ? pageCluster(search.cluster) : '';
  const view = await getDnsView();
  const admin = hasRole(user.role, 'admin');
  const drain = admin && view.canDrain ? await preview(search) : null;
  const multi = view.clusters.length > 1;
  const drainable = view.servers.filter((s) => !multi || !only || s.firstStage || s.cluster === only);
  return (
    <>
      <h1 className="mb-1 text-2xl font-semibold">DNS</h1>
      <p className="mb-6 text-sm text-slate-600">
        Each SIP domain resolved the way a phone does it (RFC 3263: NAPTR, then SRV, then A), from the
        configured DNS servers, next to what the SIP servers answer to OPTIONS now. Share is the part of new
        requests a target gets while every target of its priority is up; a lower priority is a backup.
        {multi &&
          ' With several clusters the targets are grouped by where they lead: the first stage, then each cluster’s SIP servers.'}
      </p>
      {multi && (
        <div className="mb-6">
          <ClusterPicker clusters={view.clusters} value={only} allLabel="All clusters" />
        </div>
      )}
      {!view.configured && (
        <p className="text-sm">
          No DNS servers are configured: add a <code>dns</code> section with <code>servers</code> to
          sipha.config.json.
        </p>
      )}
      <div className="space-y-8">
        {view.domains.map((d) => (
          <section
            key={`${d.domain}-${d.server}`}
            aria-label={`${d.domain} from ${d.server}`}
            className="space-y-3"
          >
            <h2 className="text-lg font-semibold">
              <span className="font-mono">{d.domain}</span>{' '}
              <span className="text-sm font-normal text-slate-500">resolved from {d.server}</span>
            </h2>
            <DnsWarnings warnings={d.analysis.warnings} />
            <NaptrTable rows={d.resolution.naptr} />
            {multi ? (
              <GroupedTargets
                groups={groupTargets({
                  rows: d.analysis.rows,
                  servers: view.servers,
                  clusters: view.clusters,
                  only: only || undefined,
                })}
              />
            ) : (
              d.analysis.rows.length > 0 && <SrvTable rows={d.analysis.rows} />
            )}
          </section>
        ))}
        {drain && (
          <DrainPanel
            domains={getConfig().domains}
            servers={drainable.map((s) => s.name)}
            cluster={(multi && only) || undefined}
            {...drain}
            action={drainServer}
          />
        )}
        {view.kamailio.length > 0 && (
          <p className="text-xs text-slate-500">
            Kamailio versions: {view.kamailio.map((k) => `${k.name} ${k.version}`).join(' · ')}. Failover
            budget {view.budgetSec} s.
          </p>
        )}
      </div>
    </>
  );
}
