import { withRoute } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { chosenCluster, connectionListOf } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';
import { getRun } from '@/lib/restore/background';
import { redactRun } from '@/lib/restore/redact';

export const dynamic = 'force-dynamic';

// One run's progress (for scripts and the API): live in this process, or as stored with its
// cluster's jobs (?cluster=NAME; the home cluster when none is named; unknown: 404).
export const GET = withRoute<{ params: Promise<{ runId: string }> }>(
  'admin',
  null,
  async (request, { params }) => {
    const { runId } = await params;
    if (!/^[A-Za-z0-9-]{1,36}$/.test(runId)) throw new AppError('bad_request:input', 'Not a run id.');
    const cluster = clusterField.safeParse(new URL(request.url).searchParams.get('cluster') ?? undefined);
    if (!cluster.success) throw new AppError('bad_request:input', 'Not a cluster name.');
    const list = await connectionListOf(chosenCluster(cluster.data));
    const run = await getRun({ list, runId });
    if (!run) throw new AppError('not_found:resource', 'No such restore run.');
    return Response.json(redactRun(run));
  },
);
