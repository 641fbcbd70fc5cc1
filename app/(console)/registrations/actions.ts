'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { deleteRegistration } from '@/lib/registrations/unregister';

const schema = z.object({
  ruid: z.string().min(1, 'Which registration?').max(64),
  // Set on rows of a console with more than one cluster: the row's own cluster.
  cluster: clusterField,
});

/**
 * Deletes one contact (by its ruid) through its cluster's connection list; audited by the
 * wrapper (an unknown cluster is refused with nothing deleted).
 */
export const unregister = validatedAction({
  role: 'operator',
  action: 'registration.delete',
  schema,
  target: (input) => `ruid ${input.ruid}${input.cluster ? ` in cluster ${input.cluster}` : ''}`,
  run: async ({ ruid, cluster }) => {
    const { node, aor, warning } = await deleteRegistration({ ruid, cluster });
    const where = cluster ? `${node} (cluster ${cluster})` : node;
    return { status: 'saved', message: `Unregistered a contact of ${aor} on ${where}.`, node, warning };
  },
});
