'use client';

import { useQuery } from '@tanstack/react-query';
import type { GaleraHealth } from '@/lib/galera/health';

/** The Galera page's live state, every second (a join's or recovery's steps move fast). */
export function useGalera(initial: GaleraHealth) {
  return useQuery<GaleraHealth>({
    queryKey: ['galera'],
    initialData: initial,
    refetchInterval: 1000,
    queryFn: async ({ signal }) => {
      const res = await fetch('/api/galera', { signal, cache: 'no-store' });
      if (res.status === 401) {
        window.location.assign('/login');
        throw new Error('signed out');
      }
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.json();
    },
  });
}
