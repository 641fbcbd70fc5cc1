import { z } from 'zod';
import { withRoute } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';
import { restoreOverview } from '@/lib/restore/overview';

export const dynamic = 'force-dynamic';

const params = z.object({ cluster: clusterField });

// Polled every second by the restore page: candidates with their plans, the run in progress
// (progress, lock window, verification) and interrupted runs, of one cluster (?cluster=NAME,
// the home cluster when none is named; unknown: 404).
export const GET = withRoute('admin', null, async (request) => {
  const parsed = params.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Invalid request', { fields: fieldErrors(parsed.error) });
  return Response.json(await restoreOverview({ cluster: parsed.data.cluster }));
});
