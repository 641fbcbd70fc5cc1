'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { deleteRegistration } from '@/lib/registrations/unregister';

const schema = z.object({ ruid: z.string().min(1, 'Which registration?').max(64) });

/** Deletes one contact (by its ruid) through the connection list; audited by the wrapper. */
export const unregister = validatedAction({
  role: 'operator',
  action: 'registration.delete',
  schema,
  target: (input) => `ruid ${input.ruid}`,
  run: async ({ ruid }) => {
    const { node, aor, warning } = await deleteRegistration({ ruid });
    return { status: 'saved', message: `Unregistered a contact of ${aor} on ${node}.`, node, warning };
  },
});
