'use server';

import { validatedAction } from '@/lib/auth/guard';
import { applyDrain } from '@/lib/dns/drain';
import { rrText } from '@/lib/dns/drain-plan';
import { drainSchema } from '@/lib/dns/drain-schema';

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
