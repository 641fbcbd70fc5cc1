'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ActionState } from '@/lib/action-state';
import { ClusterPicker } from '../cluster-picker';
import { UnavailableClusters } from '../unavailable-clusters';
import { ActionResult } from './action-result';
import { RegistrationsTable } from './registrations-table';
import type { UnregisterAction } from './unregister-button';
import { useRegistrations } from './use-registrations';

export function RegistrationsLive({
  servers,
  clusters = [],
  initialCluster = '',
  unregister,
}: {
  servers: { name: string; serverId: number; cluster?: string }[];
  /** Every configured cluster's name; the picker shows only with more than one. */
  clusters?: string[];
  initialCluster?: string;
  unregister?: UnregisterAction;
}) {
  const [q, setQ] = useState('');
  const [server, setServer] = useState('');
  const [cluster, setCluster] = useState(initialCluster);
  const [cursors, setCursors] = useState<string[]>([]); // cursors of the pages before this one
  const [after, setAfter] = useState<string | undefined>();
  const [result, setResult] = useState<ActionState>({ status: 'idle' });
  const client = useQueryClient();
  const { data, error, dataUpdatedAt, isFetching } = useRegistrations({
    q: q.trim() || undefined,
    server: server || undefined,
    cluster: cluster || undefined,
    after,
  });
  const onResult = useCallback(
    (s: ActionState) => {
      setResult(s);
      void client.invalidateQueries({ queryKey: ['registrations'] });
    },
    [client],
  );
  // The clusters this page asked (a server filter asks only its own), less those that did not answer.
  const owner = servers.find((s) => String(s.serverId) === server)?.cluster;
  const asked = cluster ? [cluster] : owner ? [owner] : clusters;
  const answered = asked.filter((c) => !data?.unavailable?.some((u) => u.cluster === c));
  const reset = () => {
    setCursors([]);
    setAfter(undefined);
  };
  return (
    <div className="space-y-4">
      <section aria-label="Registrations per SIP server" className="flex flex-wrap gap-3">
        {(data?.counts.counts ?? []).map((c) => (
          <div
            key={`${c.cluster ?? ''}/${c.serverId}`}
            className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm"
            data-server={c.server ?? c.serverId}
          >
            <div className="font-mono font-semibold">
              {c.server ?? `server_id ${c.serverId}`}
              {c.cluster && <span className="ml-1 font-sans font-normal text-slate-500">({c.cluster})</span>}
            </div>
            <div>
              <span className="text-lg font-semibold">{c.active}</span> registered
              {c.expired ? <span className="text-slate-500"> · {c.expired} expired, not purged</span> : null}
            </div>
          </div>
        ))}
        {data?.counts.error && <p className="text-sm text-red-700">{data.counts.error}</p>}
      </section>
      <search className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col text-sm">
          <span className="mb-1 font-medium">Search by address of record (prefix)</span>
          <input
            type="search"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              reset();
            }}
            placeholder="user10 or user1000@lab.sipha.test"
            className="w-80 rounded border border-slate-300 px-2 py-1 font-mono"
          />
        </label>
        <ClusterPicker
          clusters={clusters}
          value={cluster}
          allLabel="All clusters"
          onChange={(c) => {
            setCluster(c);
            setServer('');
            reset();
          }}
        />
        <label className="flex flex-col text-sm">
          <span className="mb-1 font-medium">SIP server</span>
          <select
            value={server}
            onChange={(e) => {
              setServer(e.target.value);
              reset();
            }}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="">All servers</option>
            {servers
              .filter((s) => !cluster || s.cluster === cluster)
              .map((s) => (
                <option key={s.name} value={s.serverId}>
                  {s.name} (server_id {s.serverId}
                  {s.cluster ? `, ${s.cluster}` : ''})
                </option>
              ))}
          </select>
        </label>
        <span className="text-xs text-slate-500" aria-hidden>
          {isFetching ? 'refreshing…' : ''}
        </span>
      </search>
      <ActionResult state={result} />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          Could not read registrations: {error.message}
        </p>
      )}
      {data && (
        <UnavailableClusters what="registrations" unavailable={data.unavailable} answered={answered} />
      )}
      {data && (
        <RegistrationsTable
          rows={data.rows}
          readAt={dataUpdatedAt}
          unregister={unregister}
          onResult={onResult}
        />
      )}
      {data && (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          <span className="text-slate-500">
            Read from {data.node || 'no node'} · {data.rows.length} shown · page {cursors.length + 1}
            {data.partial && ` · partial: without ${data.unavailable?.map((u) => u.cluster).join(', ')}`}
          </span>
          <span className="flex gap-2">
            <button
              type="button"
              disabled={!cursors.length}
              onClick={() => {
                const prev = [...cursors];
                const p = prev.pop();
                setCursors(prev);
                setAfter(p || undefined);
              }}
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-40"
            >
              Previous
            </button>
            <button
              type="button"
              disabled={!data.next}
              onClick={() => {
                setCursors([...cursors, after ?? '']);
                setAfter(data.next ?? undefined);
              }}
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-40"
            >
              Next
            </button>
          </span>
        </nav>
      )}
    </div>
  );
}
