'use client';

import type { ActionState } from '@/lib/action-state';
import type { Registration } from '@/lib/registrations/types';
import { DataTable } from '../data-table';
import { Countdown } from './countdown';
import { type UnregisterAction, UnregisterButton } from './unregister-button';

export function RegistrationsTable({
  rows,
  readAt,
  unregister,
  onResult,
  showAor = true,
}: {
  rows: Registration[];
  readAt: number;
  unregister?: UnregisterAction;
  onResult: (s: ActionState) => void;
  showAor?: boolean;
}) {
  // Rows say their cluster when more than one is configured (the API sets it only then).
  const clustered = rows.some((r) => r.cluster);
  if (!rows.length)
    return (
      <p className="rounded border border-dashed border-slate-300 p-6 text-center text-slate-500">
        No registrations match.
      </p>
    );
  return (
    <DataTable
      columns={[
        showAor && 'Address of record',
        'Contact',
        'Expires in',
        'SIP server',
        clustered && 'Cluster',
        'User agent',
        'q',
        'Received · path · socket',
        !!unregister && { hidden: 'Actions' },
      ]}
    >
      {rows.map((r) => (
        <tr
          key={r.ruid}
          data-aor={r.aor}
          data-expired={r.expired}
          className={`border-t border-slate-100 align-top ${r.expired ? 'bg-red-50/60 text-slate-500' : ''}`}
        >
          {showAor && (
            <td className="px-3 py-2 font-mono">
              {r.aor}
              {r.expired && (
                <span className="ml-2 rounded bg-red-100 px-1.5 text-xs font-semibold text-red-800">
                  expired, not yet purged
                </span>
              )}
            </td>
          )}
          <td className="max-w-64 break-all px-3 py-2 font-mono text-xs">{r.contact}</td>
          <td className="whitespace-nowrap px-3 py-2">
            <Countdown seconds={r.expiresIn} readAt={readAt} />
          </td>
          <td className="px-3 py-2">
            {r.server ?? <span className="text-amber-700">unknown (server_id {r.serverId})</span>}
          </td>
          {clustered && <td className="px-3 py-2 font-mono">{r.cluster}</td>}
          <td className="max-w-48 truncate px-3 py-2 text-xs" title={r.userAgent}>
            {r.userAgent || '—'}
          </td>
          <td className="px-3 py-2">
            {r.q < 0 ? <span title="not set by the phone">—</span> : r.q.toFixed(2)}
          </td>
          <td className="max-w-56 break-all px-3 py-2 font-mono text-xs text-slate-600">
            {[r.received, r.path, r.socket].map((v) => v || '—').join(' · ')}
          </td>
          {unregister && (
            <td className="px-3 py-2">
              <UnregisterButton
                ruid={r.ruid}
                aor={r.aor}
                cluster={r.cluster}
                action={unregister}
                onDone={onResult}
              />
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
