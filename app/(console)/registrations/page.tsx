import type { Metadata } from 'next';
import { RegistrationsLive } from '@/components/registrations/registrations-live';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config/load';
import { unregister } from './actions';

export const metadata: Metadata = { title: 'Registrations' };

export default async function RegistrationsPage() {
  const user = await requirePageUser('viewer');
  const servers = getConfig().sipServers.map((s) => ({ name: s.name, serverId: s.serverId }));
  return (
    <>
      <h1 className="mb-1 text-2xl font-semibold">Registrations</h1>
      <p className="mb-6 text-sm text-slate-600">
        Kamailio&apos;s location table on the active node, live. Expired contacts stay listed until Kamailio
        purges them.
      </p>
      <RegistrationsLive
        servers={servers}
        unregister={hasRole(user.role, 'operator') ? unregister : undefined}
      />
    </>
  );
}
