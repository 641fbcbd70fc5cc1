import type { Metadata } from 'next';
import { GaleraOverviewTopology } from '@/components/galera/galera-overview';
import { OverviewTopology } from '@/components/health/overview-topology';
import { OverviewLive } from '@/components/overview/overview-live';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config/load';
import { setFenceAction } from './actions';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const user = await requirePageUser('viewer');
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Overview</h1>
      {/* The picture first: at 3 a.m. a red arrow says more than a table. */}
      {getConfig().galera ? <GaleraOverviewTopology /> : <OverviewTopology />}
      <div className="mt-8">
        {/* A Galera node is never fenced: no fence control there. */}
        <OverviewLive
          fenceAction={hasRole(user.role, 'admin') && !getConfig().galera ? setFenceAction : undefined}
        />
      </div>
    </>
  );
}
