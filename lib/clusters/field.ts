import { z } from 'zod';
import { AppError } from '@/lib/errors';

// The `cluster` a form, query string or API body may name (issue 14): optional (absent or
// empty: the home cluster) and shaped like a configured cluster's name. Whether it exists is
// checked by `chosenCluster()` in registry.ts, which refuses an unknown one with a 404.
export const clusterField = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Not a cluster name.')
    .optional(),
);

/** A route's `?cluster=` query value, validated (malformed: 400); undefined when absent. */
export function clusterParam(request: Request): string | undefined {
  const parsed = clusterField.safeParse(new URL(request.url).searchParams.get('cluster') ?? undefined);
  if (!parsed.success)
    throw new AppError('bad_request:input', 'Not a cluster name.', {
      fields: { cluster: ['Not a cluster name.'] },
    });
  return parsed.data;
}
