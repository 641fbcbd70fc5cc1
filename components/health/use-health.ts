'use client';

import { useQuery } from '@tanstack/react-query';
import type { HealthDetail, HealthHistory } from '@/lib/health/types';

async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: 'no-store' });
  if (res.status === 401) {
    window.location.assign('/login');
    throw new Error('signed out');
  }
  if (!res.ok) throw new Error(`status ${res.status}`);
  return res.json();
}

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
