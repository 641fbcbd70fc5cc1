'use client';

import { useQuery } from '@tanstack/react-query';
import { getJson } from '@/components/get-json';
import type { HealthDetail, HealthHistory } from '@/lib/health/types';

/** The health page's live state (every 2 s, paused while the tab is hidden). */
export function useHealthDetail() {
  return useQuery<HealthDetail>({
    queryKey: ['health-detail'],
    queryFn: ({ signal }) => getJson('/api/health-detail', signal),
  });
}

/** The hour of samples behind the charts; it moves slowly, so every 5 s is enough. */
export function useHealthHistory() {
  return useQuery<HealthHistory>({
    queryKey: ['health-history'],
    queryFn: ({ signal }) => getJson('/api/health-detail/history', signal),
    refetchInterval: 5000,
  });
}
