import { withRoute } from '@/lib/auth/guard';
import { getConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { getRun } from '@/lib/restore/background';
import { redactRun } from '@/lib/restore/redact';

export const dynamic = 'force-dynamic';

// One run's progress (for scripts and the API): live in this process, or as stored.
export const GET = withRoute<{ params: Promise<{ runId: string }> }>(
  'admin',
  null,
  async (_req, { params }) => {
    const { runId } = await params;
    if (!/^[A-Za-z0-9-]{1,36}$/.test(runId)) throw new AppError('bad_request:input', 'Not a run id.');
    const run = await getRun({ list: await getConnectionList(), runId });
    if (!run) throw new AppError('not_found:resource', 'No such restore run.');
    return Response.json(redactRun(run));
  },
);
