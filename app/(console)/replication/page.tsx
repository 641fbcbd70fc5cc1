import { WizardClient } from '@/components/replication/wizard-client';
import { requirePageUser } from '@/lib/auth/guard';
import { publicConfig } from '@/lib/config/load';
import { wizardContext } from '@/lib/wizard/app-context';
import { isBusy, present } from '@/lib/wizard/runner';
import { applyFixAction, createRunAction, startStepAction, teardownAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function ReplicationPage() {
  const user = await requirePageUser('admin');
  const ctx = await wizardContext({ actor: user.actor });
  const run = await ctx.store.latest();
  const nodes = publicConfig().nodes;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Replication setup</h1>
        <p className="text-sm text-slate-600">
          The paper&apos;s Appendix A, executed on the servers: every statement is shown before it runs
          (passwords masked), every step is audited and can be run again safely.
        </p>
      </div>
      <WizardClient
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
