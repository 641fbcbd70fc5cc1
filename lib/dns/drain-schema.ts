import { z } from 'zod';

/** What the drain form and its preview link carry; the action parses it again. */
export const drainSchema = z.object({
  domain: z.string().min(1, 'Which SIP domain?').max(253),
  server: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Which SIP server?'),
  op: z.enum(['drain', 'restore'], 'Drain or restore?'),
  mode: z.enum(['weight', 'priority'], 'Weight 0 or a lower priority?').default('priority'),
});
