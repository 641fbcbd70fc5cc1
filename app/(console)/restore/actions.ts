'use server';

import { z } from 'zod';
import { auditAs } from '@/lib/audit/log';
import { validatedAction } from '@/lib/auth/guard';
import { clusterField } from '@/lib/clusters/field';
import { chosenCluster, connectionListOf, inCluster, nodeCluster, nodeTarget } from '@/lib/clusters/registry';
import { resumeRun, rollbackRun, startRun } from '@/lib/restore/background';

// The run itself goes on in the background; these actions only start, resume or roll back.
// The replication password, when typed, is passed to the run and dropped: never stored,
// logged or audited (the audit rows name the target and procedure only).

const startSchema = z.object({
  target: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Choose a node.'),
  kind: z.enum(['restore', 'switchover']),
  procedure: z.enum(['sipha', 'paper']),
  leaseSeconds: z.coerce.number().int().min(1, 'At least 1 s.').max(300, 'At most 300 s.').default(30),
  replUser: z.string().max(80).optional(),
  replPassword: z.string().max(200).optional(),
  // The page's cluster (more than one configured); the target node must be in it.
  cluster: clusterField,
});

export const startRestoreAction = validatedAction({
  role: 'admin',
  action: 'restore.request',
  schema: startSchema,
  target: (i) => `${i.kind} ${nodeTarget(i.target, ` (${i.procedure})`)}`,
  revalidate: '/restore',
  run: async (i, { user }) => {
    const list = await connectionListOf(nodeCluster({ node: i.target, cluster: i.cluster }));
    const credentials = i.replPassword ? { user: i.replUser || 'repl', password: i.replPassword } : undefined;
    const { runId } = await startRun({
      list,
      kind: i.kind,
      procedure: i.procedure,
      target: i.target,
      actor: user.actor,
      leaseMs: i.leaseSeconds * 1000,
      credentials,
      audit: auditAs(user.actor),
    });
    return {
      status: 'saved',
      message: `Started: ${i.kind} of ${i.target} (run ${runId.slice(0, 8)}).`,
      node: i.target,
    };
  },
});

const runSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9-]{1,36}$/, 'Not a run id.'),
  cluster: clusterField,
});

export const resumeRestoreAction = validatedAction({
  role: 'admin',
  action: 'restore.resume',
  schema: runSchema,
  target: (i) => inCluster(i.runId, i.cluster),
  revalidate: '/restore',
  run: async (i, { user }) => {
    const list = await connectionListOf(chosenCluster(i.cluster));
    const r = await resumeRun({ list, runId: i.runId, actor: user.actor, audit: auditAs(user.actor) });
    if (r.status !== 'succeeded' && r.status !== 'running') return { status: 'failed', message: r.message };
    return {
      status: 'saved',
      message: r.message,
      node: list.active()?.handle.name ?? '',
    };
  },
});

export const rollbackRestoreAction = validatedAction({
  role: 'admin',
  action: 'restore.rollback',
  schema: runSchema,
  target: (i) => inCluster(i.runId, i.cluster),
  revalidate: '/restore',
  run: async (i, { user }) => {
    const list = await connectionListOf(chosenCluster(i.cluster));
    const r = await rollbackRun({ list, runId: i.runId, actor: user.actor });
    return { status: 'saved', message: `Rolled back: ${r.detail}.`, node: list.active()?.handle.name ?? '' };
  },
});
