import { withRoute } from '@/lib/auth/guard';
import { clusters, nodeCluster, nodeTarget } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';
import { setNodeFence } from '@/lib/nodes/fence';
import { fenceSchema } from '@/lib/nodes/schema';
import { boundedText } from '@/lib/users/http';

export const dynamic = 'force-dynamic';

// POST {"fenced": false, "reason": "...", "confirm": "yes"[, "cluster": "c2"]}: the audited
// operator override. The node names its cluster; a `cluster` that is not the node's is a 404.
export const POST = withRoute<{ params: Promise<{ name: string }> }>(
  'admin',
  'node.fence',
  async (request, { params, user, mutate }) => {
    const { name } = await params;
    const text = await boundedText(request);
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // an empty or broken body fails the schema below, field by field
    }
    const parsed = fenceSchema.safeParse({ ...body, fenced: String(body?.fenced), node: name });
    if (!parsed.success)
      throw new AppError('bad_request:input', 'Invalid request', { fields: fieldErrors(parsed.error) });
    const { node, cluster, fenced, reason } = parsed.data;
    const recordedOn = await mutate({
      action: fenced ? 'node.fence' : 'node.unfence',
      target: () => nodeTarget(node),
      run: () => setNodeFence({ node, cluster, fenced, reason, actor: user.actor }),
      outcome: (on) => ({ outcome: 'ok', node: on, detail: reason }),
    });
    const named = clusters().length > 1 ? { cluster: nodeCluster({ node }) } : {};
    return Response.json({ node, ...named, fenced, recordedOn });
  },
);
