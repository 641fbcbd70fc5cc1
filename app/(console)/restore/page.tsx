import type { Metadata } from 'next';
import { RestorePanel } from '@/components/restore/restore-panel';
import { requirePageUser } from '@/lib/auth/guard';
import { restoreOverview } from '@/lib/restore/overview';
import { resumeRestoreAction, rollbackRestoreAction, startRestoreAction } from './actions';
import { applyRepairAction, previewRepairAction } from './repair-actions';

export const metadata: Metadata = { title: 'Restore' };
export const dynamic = 'force-dynamic';

export default async function RestorePage() {
  await requirePageUser('admin');
  const initial = await restoreOverview();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Restore a failed master</h1>
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
        initial={initial}
        start={startRestoreAction}
        resume={resumeRestoreAction}
        rollback={rollbackRestoreAction}
        repair={{ preview: previewRepairAction, apply: applyRepairAction }}
      />
    </div>
  );
}
