'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { getConnectionList } from '@/lib/db';
import { bootstrapCluster } from '@/lib/galera/bootstrap';
import { refuseIfRunsElsewhere, startJob } from '@/lib/galera/job';
import { joinNode, recoverFullOutage, removeNode, rollingRestart } from '@/lib/galera/operations';

// Each action only starts a background job (one at a time); the page follows its steps.
// The job itself audits its end; validatedAction audits the request.

const node = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Choose a node.');
const confirm = z.literal('yes', { error: 'Tick the box to confirm.' });

export const galeraOperationAction = validatedAction({
  role: 'admin',
  action: 'galera.request',
  schema: z.discriminatedUnion('op', [
    z.object({ op: z.literal('bootstrap'), confirm }),
    z.object({ op: z.literal('recover'), confirm }),
    z.object({ op: z.literal('rolling-restart'), confirm }),
    z.object({ op: z.literal('join'), node, confirm }),
    z.object({ op: z.literal('remove'), node, confirm }),
  ]),
  target: (i) => ('node' in i ? `${i.op} ${i.node}` : i.op),
  run: async (i, { user }) => {
    const list = await getConnectionList();
    if (!list.galera)
      return { status: 'failed', message: 'These nodes are not configured as a Galera cluster.' };
    if ('node' in i) list.node(i.node); // an unknown node is refused before anything starts
    await refuseIfRunsElsewhere();
    if (i.op === 'bootstrap') startJob('bootstrap', user.actor, bootstrapCluster);
    else if (i.op === 'recover') startJob('recover', user.actor, recoverFullOutage);
    else if (i.op === 'rolling-restart') startJob('rolling-restart', user.actor, rollingRestart);
    else if (i.op === 'join') startJob('join', user.actor, (log) => joinNode(i.node, log));
    else startJob('remove', user.actor, (log) => removeNode(i.node, log));
    return {
      status: 'saved',
      message: `Started: ${i.op}${'node' in i ? ` ${i.node}` : ''}. Its steps follow below.`,
      node: 'node' in i ? i.node : 'cluster',
    };
  },
});

export const galeraWriterAction = validatedAction({
  role: 'admin',
  action: 'galera.writer',
  schema: z.object({ node }),
  target: (i) => i.node,
  revalidate: '/galera',
  run: async (i) => {
    const list = await getConnectionList();
    if (!list.galera)
      return { status: 'failed', message: 'These nodes are not configured as a Galera cluster.' };
    list.node(i.node);
    list.galera.prefer(i.node);
    return { status: 'saved', message: `Writes go to ${i.node} now.`, node: i.node };
  },
});
