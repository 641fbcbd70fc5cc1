import type { Metadata } from 'next';
import { ClusterPicker } from '@/components/cluster-picker';
import { RestorePanel } from '@/components/restore/restore-panel';
import { requirePageUser } from '@/lib/auth/guard';
import { pageCluster } from '@/lib/clusters/page-cluster';
import { clusters } from '@/lib/clusters/registry';
import { restoreOverview } from '@/lib/restore/overview';
import { resumeRestoreAction, rollbackRestoreAction, startRestoreAction } from './actions';
import { applyRepairAction, previewRepairAction } from './repair-actions';

export const metadata: Metadata = { title: 'Restore' };
export const dynamic = 'force-dynamic';

export default async function RestorePage({
  searchParams,
}: {
  searchParams: Promise<{ cluster?: string | string[] }>;
}) {
  await requirePageUser('admin');
  // ?cluster=NAME: each cluster restores within its own connection list (unknown: 404).
  const cluster = pageCluster((await searchParams).cluster);
  const initial = await restoreOverview({ cluster });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Restore a failed master</h1>
      <ClusterPicker clusters={clusters().map((c) => c.name)} value={cluster} />
      <p className="max-w-3xl text-sm text-slate-600">
        A node that returns after a failover stays fenced until it is restored: it catches up from the
        survivor while the survivor keeps taking writes, then the survivor is read-locked for as short as
        possible, the two are proven identical, the node becomes active again and the lock is lifted. The
        proof needs no long lock: a brief one opens consistent snapshots on both nodes at one GTID position,
        every row is compared in chunks while the survivor takes writes, and a second brief lock only checks
        that nothing but the survivor&apos;s own transactions happened since. What differs can be repaired
        here.
      </p>
      <RestorePanel
        key={cluster}
        initial={initial}
        start={startRestoreAction}
        resume={resumeRestoreAction}
        rollback={rollbackRestoreAction}
        repair={{ preview: previewRepairAction, apply: applyRepairAction }}
      />
    </div>
  );
}
