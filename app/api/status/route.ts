import { withRoute } from '@/lib/auth/guard';
import { getOverview } from '@/lib/health/overview';

export const dynamic = 'force-dynamic';

// Polled by the overview every 2 s (react-query); reads only background probe results.
export const GET = withRoute('viewer', null, async () => Response.json(await getOverview()));
