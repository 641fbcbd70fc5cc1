'use server';

import { z } from 'zod';
import { validatedAction } from '@/lib/auth/guard';
import { configuredRules } from '@/lib/users/configured';
import { addUserState, deleteUserState, setPasswordState } from '@/lib/users/form-actions';

// Schemas are built lazily: the configured domains are only known when the server runs.
const addSchema = z.lazy(() => configuredRules().addForm);
const passwordSchema = z.lazy(() => configuredRules().passwordForm);
const keySchema = z.lazy(() => configuredRules().keyForm);

export const addUserAction = validatedAction({
  role: 'operator',
  action: 'user.create',
  schema: addSchema,
  target: (i) => `${i.username}@${i.domain}`,
  revalidate: '/users',
  run: (input) => addUserState(input),
});

export const setPasswordAction = validatedAction({
  role: 'operator',
  action: 'user.password',
  schema: passwordSchema,
  target: (i) => `${i.username}@${i.domain}`,
  run: (input) => setPasswordState(input),
});

// No revalidation: the row stays to say where the delete landed; a reload drops it.
export const deleteUserAction = validatedAction({
  role: 'operator',
  action: 'user.delete',
  schema: keySchema,
  target: (i) => `${i.username}@${i.domain}`,
  run: (input) => deleteUserState(input),
});
