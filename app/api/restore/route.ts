import { withRoute } from '@/lib/auth/guard';
import { restoreOverview } from '@/lib/restore/overview';

export const dynamic = 'force-dynamic';

// Polled every second by the restore page: candidates with their plans, the run in progress
// (progress, lock window, verification) and interrupted runs.
export const GET = withRoute('admin', null, async () => Response.json(await restoreOverview()));
