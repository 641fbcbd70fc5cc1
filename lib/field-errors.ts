import type { z } from 'zod';

/** Zod issues as field errors, keyed by the top-level field: `{ username: ['At most 64 characters'] }`. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}
