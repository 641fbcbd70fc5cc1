import type { Metadata } from 'next';
import { RestorePanel } from '@/components/restore/restore-panel';
import { requirePageUser } from '@/lib/auth/guard';
import { restoreOverview } from '@/lib/restore/overview';
import { resumeRestoreAction, rollbackRestoreAction, startRestoreAction } from './actions';

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
        possible, the two are proven identical (GTID position and CHECKSUM TABLE), the node becomes active
        again and the lock is lifted.
      </p>
      <RestorePanel
        initial={initial}
        start={startRestoreAction}
        resume={resumeRestoreAction}
        rollback={rollbackRestoreAction}
      />
    </div>
  );
}
