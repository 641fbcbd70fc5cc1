'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ActionState } from '@/lib/action-state';
import { UnavailableClusters } from '../unavailable-clusters';
import { ActionResult } from './action-result';
import { RegistrationsTable } from './registrations-table';
import type { UnregisterAction } from './unregister-button';
import { useRegistrations } from './use-registrations';

/**
 * A user's registrations, live, for the user's page: pass the `unregister` action
 * from app/(console)/registrations/actions.ts when the viewer is an operator.
 */
export function UserRegistrations({
  username,
  domain,
  cluster,
  unregister,
}: {
  username: string;
  domain: string;
  /** The owning cluster, when more than one is configured: its registrations only. */
  cluster?: string;
  unregister?: UnregisterAction;
}) {
  const [result, setResult] = useState<ActionState>({ status: 'idle' });
  const client = useQueryClient();
  const { data, error, dataUpdatedAt } = useRegistrations({ user: username, domain, cluster, limit: '100' });
  const onResult = useCallback(
    (s: ActionState) => {
      setResult(s);
      void client.invalidateQueries({ queryKey: ['registrations'] });
    },
    [client],
  );
  return (
    <section aria-label={`Registrations of ${username}@${domain}`} className="space-y-2">
      <h2 className="text-lg font-semibold">Registrations</h2>
      <ActionResult state={result} />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          Could not read registrations: {error.message}
        </p>
      )}
      {data && <UnavailableClusters what="registrations" unavailable={data.unavailable} />}
      {data?.unavailable?.length ? null : data ? (
        <RegistrationsTable
          rows={data.rows}
          readAt={dataUpdatedAt}
          unregister={unregister}
          onResult={onResult}
          showAor={false}
        />
      ) : (
        !error && <p className="text-slate-500">Loading…</p>
      )}
    </section>
  );
}
