import { withRoute } from '@/lib/auth/guard';
import { getHealthHistory } from '@/lib/health/detail';

export const dynamic = 'force-dynamic';

// The last hour of lag and registration counts, sampled by the console itself (no cron).
export const GET = withRoute('viewer', null, async () => Response.json(await getHealthHistory()));
