import { withRoute } from '@/lib/auth/guard';
import { getGaleraHealth } from '@/lib/galera/health';

export const dynamic = 'force-dynamic';

// Polled by the Galera page every second; background samples only, never waits on a node.
export const GET = withRoute('viewer', null, async () => Response.json(await getGaleraHealth()));
