import type { Metadata } from 'next';
import { RegistrationsLive } from '@/components/registrations/registrations-live';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { pageCluster } from '@/lib/clusters/page-cluster';
import { getConfig } from '@/lib/config/load';
import { unregister } from './actions';

export const metadata: Metadata = { title: 'Registrations' };

export default async function RegistrationsPage({
  searchParams,
}: {
  searchParams: Promise<{ cluster?: string | string[] }>;
}) {
  const user = await requirePageUser('viewer');
  const all = getConfig().clusters;
  const multi = all.length > 1;
  const servers = all.flatMap((c) =>
    c.sipServers.map((s) => ({ name: s.name, serverId: s.serverId, cluster: multi ? c.name : undefined })),
  );
  // ?cluster=NAME starts the list filtered to that cluster (an unknown one: 404).
  const asked = (await searchParams).cluster;
  const initialCluster = asked ? pageCluster(asked) : '';
  return (
    <>
      <h1 className="mb-1 text-2xl font-semibold">Registrations</h1>
      <p className="mb-6 text-sm text-slate-600">
        Kamailio&apos;s location table on the active node{multi ? ' of every cluster' : ''}, live. Expired
        contacts stay listed until Kamailio purges them.
      </p>
      <RegistrationsLive
        servers={servers}
        clusters={multi ? all.map((c) => c.name) : []}
        initialCluster={initialCluster}
        unregister={hasRole(user.role, 'operator') ? unregister : undefined}
      />
    </>
  );
}
