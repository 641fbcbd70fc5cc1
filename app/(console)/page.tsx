import type { Metadata } from 'next';
import { OverviewLive } from '@/components/overview/overview-live';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Overview</h1>
      <OverviewLive />
    </>
  );
}
