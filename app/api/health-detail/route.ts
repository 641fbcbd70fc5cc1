import { withRoute } from '@/lib/auth/guard';
import { getHealthDetail } from '@/lib/health/detail';

export const dynamic = 'force-dynamic';

// Polled by the health page every 2 s. Reads background samples only: a hung node or SIP server
// makes its own entry go red, never this response slow.
export const GET = withRoute('viewer', null, async () => Response.json(await getHealthDetail()));
