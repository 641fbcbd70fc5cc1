import { withRoute } from '@/lib/auth/guard';
import { renderMetrics } from '@/lib/health/metrics';

export const dynamic = 'force-dynamic';

// Prometheus scrape endpoint. It needs a viewer API token (Authorization: Bearer …, set as the
// scrape job's bearer_token) or a session: node names, addresses and registration counts are
// deployment details not to be handed to anyone who can reach the port.
export const GET = withRoute('viewer', null, async () => {
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
});
