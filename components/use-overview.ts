'use client';

import { useQuery } from '@tanstack/react-query';
import { getJson } from '@/components/get-json';
import type { Overview } from '@/lib/health/types';

/** One shared poll of /api/status for the banner and the overview (react-query dedupes it). */
export function useOverview() {
  return useQuery<Overview>({
    queryKey: ['status'],
    queryFn: ({ signal }) => getJson('/api/status', signal),
  });
}
