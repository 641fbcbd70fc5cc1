import type { Metadata } from 'next';
import { HealthLive } from '@/components/health/health-live';
import { requirePageUser } from '@/lib/auth/guard';

export const metadata: Metadata = { title: 'Health' };

export default async function HealthPage() {
  await requirePageUser('viewer');
  return (
    <>
      <h1 className="mb-1 text-2xl font-semibold">Health</h1>
      <p className="mb-6 text-sm text-slate-600">
        Every SIP server and database node, and each replication direction, checked by the console every
        second.
      </p>
      <HealthLive />
    </>
  );
}
