import { z } from 'zod';

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
