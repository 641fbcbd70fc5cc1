import { z } from 'zod';
import { clusterField } from '@/lib/clusters/field';

export const fenceSchema = z.object({
  node: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'unknown node'),
  /** Optional: the node's cluster (the node names it anyway); another cluster is refused. */
  cluster: clusterField,
  fenced: z.enum(['true', 'false']).transform((v) => v === 'true'),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(200),
  confirm: z.literal('yes', { error: 'Tick the box to confirm you understand the risk' }),
});
