import type { Metadata } from 'next';
import { HealthLive } from '@/components/health/health-live';

export const metadata: Metadata = { title: 'Health' };

export default function HealthPage() {
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
