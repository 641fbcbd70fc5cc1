import { z } from 'zod';
import { withRoute } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { chosenCluster, clusters } from '@/lib/clusters/registry';
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
  cluster: clusterField,
});

// GET /api/registrations?q=&server=&cluster=&after= — one keyset page from the active node of
// every cluster (or of the one named; unknown: 404); polled by the registrations page every 2 s
// and by the per-user view (user=&domain=&cluster=). With more than one cluster the answer also
// carries `partial` and `unavailable: [{cluster, reason}]`: a cluster that does not answer leaves
// its rows out, and the others' are listed all the same.
export const GET = withRoute('viewer', null, async (request) => {
  const parsed = params.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Invalid search', { fields: fieldErrors(parsed.error) });
  const p = parsed.data;
  const only = p.cluster === undefined ? undefined : chosenCluster(p.cluster);
  const page = await listRegistrations({
    cluster: only,
    q: p.q,
    serverId: p.server,
    username: p.user,
    domain: p.user !== undefined ? (p.domain ?? null) : undefined,
    after: p.after,
    limit: p.limit,
  });
  // Counts per server come from the background samplers (a full scan at a million rows).
  const all = clusters();
  if (all.length === 1) return Response.json({ ...page, counts: (await getMonitor()).counts });
  // A cluster whose monitor cannot start has no counts; its rows' absence says why (unavailable).
  const monitors = (
    await Promise.allSettled(all.filter((c) => !only || c.name === only).map((c) => getMonitor(c.name)))
  ).flatMap((m) => (m.status === 'fulfilled' ? [m.value] : []));
  const counts = {
    counts: monitors.flatMap((m) => m.counts.counts.map((c) => ({ ...c, cluster: m.cluster.name }))),
    // The oldest count decides (none yet in one cluster: not yet).
    checkedAt: monitors.some((m) => !m.counts.checkedAt)
      ? null
      : (monitors.map((m) => m.counts.checkedAt!).sort()[0] ?? null),
    error:
      monitors.map((m) => m.counts.error && `${m.cluster.name}: ${m.counts.error}`).find(Boolean) ?? null,
  };
  return Response.json({ ...page, counts });
});
