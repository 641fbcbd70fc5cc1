import 'server-only';
import type { z } from 'zod';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';

// Shared by the /api/v1 route handlers: bounded JSON bodies validated by the same zod rules as
// the forms (their audit rows: lib/audit/audited.ts).

const MAX_JSON_BYTES = 16 * 1024;

export async function parseJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES)
    throw new AppError('bad_request:input', `The body is larger than ${MAX_JSON_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('bad_request:input', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Some fields are not valid.', {
      fields: fieldErrors(parsed.error),
    });
  return parsed.data;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Some fields are not valid.', {
      fields: fieldErrors(parsed.error),
    });
  return parsed.data;
}
