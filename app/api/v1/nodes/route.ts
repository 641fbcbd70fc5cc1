import { withRoute } from '@/lib/auth/guard';
import { getConnectionList } from '@/lib/db';

export const dynamic = 'force-dynamic';

// The connection list as the console sees it: order, role, reachability. No credentials.
export const GET = withRoute('viewer', null, async () => {
  const list = await getConnectionList();
  const nodes = list.nodes.map((n, i) => ({
    name: n.handle.name,
    position: i + 1,
    role: list.roleOf(n),
    reachable: n.reachable,
    readOnly: n.readOnly,
    version: n.version,
    latencyMs: n.latencyMs,
    downSince: n.downSince?.toISOString() ?? null,
  }));
  return Response.json({ nodes, active: list.active()?.handle.name ?? null });
});
