import { z } from 'zod';
import { withRoute } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { chosenCluster, clusters, connectionListOf } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';

export const dynamic = 'force-dynamic';

const params = z.object({ cluster: clusterField });

// The connection list as the console sees it: order, role, reachability. No credentials. With
// more than one cluster: every cluster's list (each node says its cluster; `active` stays the
// home cluster's, `clusters` gives each one's), or one cluster's with ?cluster=NAME (unknown: 404).
export const GET = withRoute('viewer', null, async (request) => {
  const parsed = params.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Invalid request', { fields: fieldErrors(parsed.error) });
  const multi = clusters().length > 1;
  const names =
    parsed.data.cluster !== undefined ? [chosenCluster(parsed.data.cluster)] : clusters().map((c) => c.name);
  const lists = await Promise.all(names.map(async (name) => ({ name, list: await connectionListOf(name) })));
  const nodes = lists.flatMap(({ name, list }) =>
    list.nodes.map((n, i) => ({
      name: n.handle.name,
      ...(multi ? { cluster: name } : {}),
      position: i + 1,
      role: list.roleOf(n),
      reachable: n.reachable,
      readOnly: n.readOnly,
      version: n.version,
      latencyMs: n.latencyMs,
      downSince: n.downSince?.toISOString() ?? null,
    })),
  );
  const active = lists[0]!.list.active()?.handle.name ?? null;
  if (!multi) return Response.json({ nodes, active });
  const each = lists.map(({ name, list }) => ({ name, active: list.active()?.handle.name ?? null }));
  return Response.json({ nodes, active, clusters: each });
});
