import { z } from 'zod';
import { withRoute } from '@/lib/auth/guard';
import { clusterParam } from '@/lib/clusters/field';
import { AppError } from '@/lib/errors';
import { wizardContext } from '@/lib/wizard/app-context';
import { previewStep } from '@/lib/wizard/operations';
import { operatorCommands } from '@/lib/wizard/snapshot';
import { STEPS } from '@/lib/wizard/types';

export const dynamic = 'force-dynamic';

const query = z.object({
  runId: z.string().uuid(),
  step: z.enum(STEPS),
  mode: z.enum(['copy', 'operator', 'identical']).optional(),
});

// The statements a step would run (computed by the step itself, writes held back), masked.
export const GET = withRoute('admin', null, async (req, { user }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw new AppError('bad_request:input', 'runId and step are required.');
  const { runId, step, mode } = parsed.data;
  const ctx = await wizardContext({ actor: user.actor, cluster: clusterParam(req) });
  const preview = await previewStep({ ctx, runId, step, input: mode ? { mode } : {} });
  const run = await ctx.store.get(runId);
  const commands = step === 'data' && mode === 'operator' && run ? operatorCommands({ ctx, run }) : [];
  return Response.json({ ...preview, commands });
});
