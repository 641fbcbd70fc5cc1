'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { createToken, revokeToken } from '@/lib/auth/tokens';

const createSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the token')
    .max(64, 'At most 64 characters')
    .regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, . _ - only'),
  role: z.enum(['admin', 'operator', 'viewer'], { error: 'Choose a role' }),
});

export const createTokenAction = validatedAction({
  role: 'admin',
  action: 'token.create',
  schema: createSchema,
  target: (i) => i.name,
  revalidate: '/tokens',
  run: async (input, { user }) => {
    const r = await createToken({ name: input.name, role: input.role, createdBy: user.actor });
    // The token goes back to this one response only; the audit row gets the message, not the secret.
    return {
      status: 'saved',
      message: `Token ${input.name} (${input.role}) created on ${r.node}. Copy it now: it is shown once.`,
      node: r.node,
      secret: r.token,
    };
  },
});

export const revokeTokenAction = validatedAction({
  role: 'admin',
  action: 'token.revoke',
  schema: z.object({ id: z.coerce.number().int().positive(), name: z.string().max(64).default('') }),
  target: (i) => `${i.name} (#${i.id})`,
  revalidate: '/tokens',
  run: async (input) => {
    const r = await revokeToken(input.id);
    if (Number(r.value.numUpdatedRows) === 0)
      return { status: 'failed', message: 'No such token, or already revoked.' };
    return { status: 'saved', message: `Token ${input.name} revoked on ${r.node}.`, node: r.node };
  },
});
