'use server';

import { validatedAction } from '@/lib/auth/guard';
import { nodeTarget } from '@/lib/clusters/registry';
import { setNodeFence } from '@/lib/nodes/fence';
import { fenceSchema } from '@/lib/nodes/schema';

export const setFenceAction = validatedAction({
  role: 'admin',
  action: 'node.fence',
  schema: fenceSchema,
  target: (i) => nodeTarget(i.node, ` fenced=${i.fenced}`),
  run: async ({ node, cluster, fenced, reason }, { user }) => {
    const recordedOn = await setNodeFence({ node, cluster, fenced, reason, actor: user.actor });
    return {
      status: 'saved',
      node: recordedOn,
      message: fenced
        ? `${node} is fenced: no writes go to it.`
        : `${node} is no longer fenced and can take writes again.`,
    };
  },
});
