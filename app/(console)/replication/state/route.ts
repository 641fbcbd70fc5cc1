import { withRoute } from '@/lib/auth/guard';
import { wizardContext } from '@/lib/wizard/app-context';
import { isBusy, present } from '@/lib/wizard/runner';

export const dynamic = 'force-dynamic';

// Polled every second by the wizard page: the latest run, with live progress of a running step.
export const GET = withRoute('admin', null, async (_req, { user }) => {
  const ctx = await wizardContext({ actor: user.actor });
  const run = await ctx.store.latest();
  return Response.json({ run: run ? present(run) : null, busy: run ? (isBusy(run.runId) ?? null) : null });
});
