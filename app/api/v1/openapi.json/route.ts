import { getConfig } from '@/lib/config/load';
import { openApiDocument } from '@/lib/users/openapi';

export const dynamic = 'force-dynamic';

// Public like any API description: it names rules and routes, no data and no secrets.
export function GET(): Response {
  const cfg = getConfig();
  return Response.json(
    openApiDocument({
      domains: cfg.domains,
      passwordMinLength: cfg.users.passwordMinLength,
      version: '1.0.0',
    }),
  );
}
