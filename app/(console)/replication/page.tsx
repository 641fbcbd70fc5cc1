import { ClusterPicker } from '@/components/cluster-picker';
import { WizardClient } from '@/components/replication/wizard-client';
import { requirePageUser } from '@/lib/auth/guard';
import { pageCluster } from '@/lib/clusters/page-cluster';
import { clusters } from '@/lib/clusters/registry';
import { wizardContext } from '@/lib/wizard/app-context';
import { isBusy, present } from '@/lib/wizard/runner';
import { applyFixAction, createRunAction, startStepAction, teardownAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function ReplicationPage({
  searchParams,
}: {
  searchParams: Promise<{ cluster?: string | string[] }>;
}) {
  const user = await requirePageUser('admin');
  // ?cluster=NAME: the wizard sets up one cluster's nodes (unknown: 404).
  const cluster = pageCluster((await searchParams).cluster);
  const multi = clusters().length > 1;
  const ctx = await wizardContext({ actor: user.actor, cluster });
  const run = await ctx.store.latest();
  const nodes = ctx.nodes.map(({ name, host, port, database }) => ({ name, host, port, database }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Replication setup</h1>
        <p className="text-sm text-slate-600">
          The paper&apos;s Appendix A, executed on the servers: every statement is shown before it runs
          (passwords masked), every step is audited and can be run again safely.
        </p>
      </div>
      <ClusterPicker clusters={clusters().map((c) => c.name)} value={cluster} />
      <WizardClient
        key={cluster}
        cluster={multi ? cluster : undefined}
        initial={{ run: run ? present(run) : null, busy: run ? (isBusy(run.runId) ?? null) : null }}
        nodes={nodes}
        actions={{
          create: createRunAction,
          start: startStepAction,
          apply: applyFixAction,
          teardown: teardownAction,
        }}
      />
    </div>
  );
}
