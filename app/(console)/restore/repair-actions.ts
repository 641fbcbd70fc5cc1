'use server';

import { z } from 'zod';
import { auditAs } from '@/lib/audit/log';
import { validatedAction } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { connectionListOf, nodeCluster, nodeTarget } from '@/lib/clusters/registry';
import { applyRepair, previewRepair } from '@/lib/restore/repair';
import type { SubscriberChoice } from '@/lib/restore/repair-types';

// Repair of what a verification found different (issue 16): preview first (the page shows the
// changes, polled with the restore overview), then apply exactly what was previewed. The
// subscriber choices come as radio fields `choice.<id>`; a row without a choice is left alone.

const choice = z.enum(['survivor', 'target', 'delete']);
const schema = z
  .object({
    target: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Choose a node.'),
    digest: z
      .string()
      .regex(/^[a-f0-9]{64}$/, 'Preview the repair first.')
      .optional(),
    cluster: clusterField,
  })
  .catchall(z.unknown())
  .superRefine((o, ctx) => {
    for (const [k, v] of Object.entries(o))
      if (k.startsWith('choice.') && (!/^choice\.\d{1,10}$/.test(k) || !choice.safeParse(v).success))
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'Keep the survivor’s, the returning node’s, or delete.',
        });
  });

const choicesOf = (o: Record<string, unknown>): Record<string, SubscriberChoice> =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([k]) => k.startsWith('choice.'))
      .map(([k, v]) => [k.slice('choice.'.length), v as SubscriberChoice]),
  );

export const previewRepairAction = validatedAction({
  role: 'admin',
  action: 'restore.repair.preview',
  schema,
  target: (i) => nodeTarget(i.target),
  revalidate: '/restore',
  run: async (i) => {
    const p = await previewRepair({
      list: await connectionListOf(nodeCluster({ node: i.target, cluster: i.cluster })),
      target: i.target,
      choices: choicesOf(i),
    });
    const n = p.location.length + p.subscriber.length;
    return {
      status: 'saved',
      message: `Preview at ${p.position}: ${p.location.length} location and ${p.subscriber.length} subscriber change(s)${n ? '' : ' (nothing to do with these choices)'}. Nothing changed yet.`,
      node: p.target,
    };
  },
});

export const applyRepairAction = validatedAction({
  role: 'admin',
  action: 'restore.repair.apply',
  schema,
  target: (i) => nodeTarget(i.target),
  revalidate: '/restore',
  run: async (i, { user }) => {
    if (!i.digest) return { status: 'invalid', fieldErrors: { digest: ['Preview the repair first.'] } };
    const p = await applyRepair({
      list: await connectionListOf(nodeCluster({ node: i.target, cluster: i.cluster })),
      target: i.target,
      choices: choicesOf(i),
      digest: i.digest,
      audit: auditAs(user.actor),
    });
    return {
      status: 'saved',
      message: `${p.applied} change(s) applied; verified again: ${p.after?.ok ? 'identical' : `${p.after?.diffs.length} row(s) still differ`}.`,
      node: p.survivor,
    };
  },
});
