'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { applyDrain } from '@/lib/dns/drain';
import { rrText } from '@/lib/dns/drain-plan';

export const drainSchema = z.object({
  domain: z.string().min(1, 'Which SIP domain?').max(253),
  server: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Which SIP server?'),
  op: z.enum(['drain', 'restore'], 'Drain or restore?'),
  mode: z.enum(['weight', 'priority'], 'Weight 0 or a lower priority?').default('weight'),
});

/** RFC 2136 update signed with the configured TSIG key, verified by resolving again; audited. */
export const drainServer = validatedAction({
  role: 'admin',
  action: 'dns.drain',
  schema: drainSchema,
  revalidate: '/dns',
  target: (i) => `${i.op} ${i.server} in ${i.domain} (${i.op === 'drain' ? i.mode : 'saved records'})`,
  run: async (input) => {
    const { plan, at } = await applyDrain(input);
    const verb = input.op === 'drain' ? 'Drained' : 'Restored';
    return {
      status: 'saved',
      message: `${verb} ${input.server}: now served ${plan.after.map(rrText).join('; ')}.`,
      node: `dns ${at}`,
    };
  },
});
