import { withRoute } from '@/lib/auth/guard';
import { clusterParam } from '@/lib/clusters/field';
import { wizardContext } from '@/lib/wizard/app-context';
import { isBusy, present } from '@/lib/wizard/runner';

export const dynamic = 'force-dynamic';

// Polled every second by the wizard page: the latest run of the page's cluster (?cluster=NAME,
// the home cluster when none is named; unknown: 404), with live progress of a running step.
export const GET = withRoute('admin', null, async (req, { user }) => {
  const ctx = await wizardContext({ actor: user.actor, cluster: clusterParam(req) });
  const run = await ctx.store.latest();
  return Response.json({ run: run ? present(run) : null, busy: run ? (isBusy(run.runId) ?? null) : null });
});
