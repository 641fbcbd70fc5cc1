import 'server-only';
import type { z } from 'zod';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/field-errors';

// Shared by the /api/v1 route handlers: bounded JSON bodies validated by the same zod rules as
// the forms (their audit rows: lib/audit/audited.ts).

const MAX_JSON_BYTES = 16 * 1024;

/** The body as text, read as a stream and refused as soon as it passes `max` bytes. */
export async function boundedText(request: Request, max = MAX_JSON_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  const tooBig = () => new AppError('bad_request:input', `The body is larger than ${max} bytes.`);
  if (declared > max) throw tooBig();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}

export async function parseJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await boundedText(request);
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
