'use client';

import { useQuery } from '@tanstack/react-query';
import type { Overview } from '@/lib/health/types';

/** One shared poll of /api/status for the banner and the overview (react-query dedupes it). */
export function useOverview() {
  return useQuery<Overview>({
    queryKey: ['status'],
    queryFn: async ({ signal }) => {
      const res = await fetch('/api/status', { signal, cache: 'no-store' });
      if (res.status === 401) {
        window.location.assign('/login');
        throw new Error('signed out');
      }
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.json();
    },
  });
}
