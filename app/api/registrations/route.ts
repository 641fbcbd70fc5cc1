import { z } from 'zod';
import { withRoute } from '@/lib/auth/guard';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';
import { getMonitor } from '@/lib/health/monitor';
import { listRegistrations } from '@/lib/registrations/queries';
import { searchText } from '@/lib/users/rules';

export const dynamic = 'force-dynamic';

const params = z.object({
  q: searchText(200),
  server: z.coerce.number().int().min(0).optional(),
  user: searchText(),
  domain: searchText(),
  after: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

// GET /api/registrations?q=&server=&after= — one keyset page from the active node; polled by
// the registrations page every 2 s and by the per-user view (user=&domain=).
export const GET = withRoute('viewer', null, async (request) => {
  const parsed = params.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Invalid search', { fields: fieldErrors(parsed.error) });
  const p = parsed.data;
  const page = await listRegistrations({
    q: p.q,
    serverId: p.server,
    username: p.user,
    domain: p.user !== undefined ? (p.domain ?? null) : undefined,
    after: p.after,
    limit: p.limit,
  });
  // Counts per server come from the background sampler (a full scan at a million rows).
  const counts = (await getMonitor()).counts;
  return Response.json({ ...page, counts });
});
