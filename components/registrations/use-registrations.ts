'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '@/components/get-json';
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
    queryFn: ({ signal }) => getJson(`/api/registrations?${search}`, signal),
  });
}
