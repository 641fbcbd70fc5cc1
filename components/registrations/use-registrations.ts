'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { RegistrationCount } from '@/lib/health/types';
import type { RegistrationPage } from '@/lib/registrations/types';

export type RegistrationsResponse = RegistrationPage & {
  counts: { counts: RegistrationCount[]; checkedAt: string | null; error: string | null };
};

/** Polls one keyset page of /api/registrations (every 2 s by the app default, paused when hidden). */
export function useRegistrations(params: Record<string, string | undefined>) {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  return useQuery<RegistrationsResponse>({
    queryKey: ['registrations', search.toString()],
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const res = await fetch(`/api/registrations?${search}`, { signal, cache: 'no-store' });
      if (res.status === 401) {
        window.location.assign('/login');
        throw new Error('signed out');
      }
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `status ${res.status}`);
      return body;
    },
  });
}
