import { withRoute } from '@/lib/auth/guard';
import { shardOverview } from '@/lib/shards/overview';

export const dynamic = 'force-dynamic';

// Polled by the shards page: every second while a move or its rollback runs, else every 5 s.
export const GET = withRoute('admin', null, async () => Response.json(await shardOverview()));
