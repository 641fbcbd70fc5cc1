'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { getConnectionList } from '@/lib/db';
import { deleteRegistration } from '@/lib/registrations/unregister';

const schema = z.object({ ruid: z.string().min(1, 'Which registration?').max(64) });

/** Deletes one contact (by its ruid) through the connection list; audited by the wrapper. */
export const unregister = validatedAction({
  role: 'operator',
  action: 'registration.delete',
  schema,
  target: (input) => `ruid ${input.ruid}`,
  run: async ({ ruid }) => {
    const { node, aor } = await deleteRegistration({ ruid });
    const first = (await getConnectionList()).nodes[0]?.handle.name;
    return {
      status: 'saved',
      message: `Unregistered a contact of ${aor} on ${node}.`,
      node,
      ...(node !== first
        ? { warning: `Written to ${node}, not ${first}: ${first} is not taking writes.` }
        : {}),
    };
  },
});
