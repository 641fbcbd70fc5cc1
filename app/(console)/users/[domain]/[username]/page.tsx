import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { UserRegistrations } from '@/components/registrations/user-registrations';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { clusters } from '@/lib/clusters/registry';
import { clusterFor } from '@/lib/shards/owner';
import { getUser } from '@/lib/users/queries';
import { USER_PART } from '@/lib/users/rules';
import { unregister } from '../../../registrations/actions';

export const metadata: Metadata = { title: 'User' };

type Params = Promise<{ domain: string; username: string }>;

/** One SIP user and where it is registered right now (Kamailio's location table, live). */
export default async function UserPage({ params }: { params: Params }) {
  const viewer = await requirePageUser('viewer');
  const p = await params;
  const username = decodeURIComponent(p.username);
  const domain = decodeURIComponent(p.domain);
  if (username.length > 64 || domain.length > 64 || !USER_PART.test(username)) notFound();
  const user = await getUser({ username, domain });
  if (!user) notFound();
  // With more than one cluster: the one the shard map gives the user, whose tables hold its rows.
  const cluster = clusters().length > 1 ? await clusterFor(user) : undefined;
  return (
    <div className="space-y-6">
      <Link href="/users" className="text-sm text-blue-700 underline">
        ← All users
      </Link>
      <h1 className="font-mono text-2xl font-semibold">
        {user.username}@{user.domain}
      </h1>
      {cluster && (
        <p className="text-sm text-slate-600">
          Owned by cluster <span className="font-mono font-semibold">{cluster}</span>: its nodes hold this
          user and its registrations.
        </p>
      )}
      <UserRegistrations
        username={user.username}
        domain={user.domain}
        cluster={cluster}
        unregister={hasRole(viewer.role, 'operator') ? unregister : undefined}
      />
    </div>
  );
}
