import { withRoute } from '@/lib/auth/guard';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';
import { setNodeFence } from '@/lib/nodes/fence';
import { fenceSchema } from '@/lib/nodes/schema';
import { boundedText } from '@/lib/users/http';

export const dynamic = 'force-dynamic';

// POST {"fenced": false, "reason": "...", "confirm": "yes"}: the audited operator override.
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
    const { node, fenced, reason } = parsed.data;
    const recordedOn = await mutate({
      action: fenced ? 'node.fence' : 'node.unfence',
      target: () => node,
      run: () => setNodeFence({ node, fenced, reason, actor: user.actor }),
      outcome: (on) => ({ outcome: 'ok', node: on, detail: reason }),
    });
    return Response.json({ node, fenced, recordedOn });
  },
);
