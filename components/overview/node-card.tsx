import type { ReactNode } from 'react';
import type { NodeStatus } from '@/lib/health/types';
import { clock } from '../clock';
import { type Health, StateDot } from '../state-dot';

const roleHealth: Record<NodeStatus['role'], Health> = {
  active: 'up',
  standby: 'up',
  fenced: 'warn',
  down: 'down',
};

export function NodeCard({ node, children }: { node: NodeStatus; children?: ReactNode }) {
  const health: Health =
    node.reachable === null ? 'unknown' : node.reachable ? roleHealth[node.role] : 'down';
  const state = node.reachable === null ? 'checking…' : node.reachable ? 'up' : 'down';
  return (
    <article
      aria-label={`database node ${node.name}`}
      data-state={state}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <header className="flex items-center justify-between">
        <h3 className="font-mono text-lg font-semibold">{node.name}</h3>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-slate-700">
          {node.role}
        </span>
      </header>
      <p className="font-mono text-xs text-slate-500">
        {node.host}:{node.port}
      </p>
      <dl className="mt-3 grid grid-cols-2 gap-y-1 text-sm">
        <dt className="text-slate-500">State</dt>
        <dd>
          <StateDot health={health} label={state} />
        </dd>
        <dt className="text-slate-500">Latency</dt>
        <dd>{node.latencyMs !== null ? `${node.latencyMs} ms` : '—'}</dd>
        <dt className="text-slate-500">Server</dt>
        <dd className="truncate" title={node.version ?? ''}>
          {node.flavor ? `${node.flavor} ${node.version?.split('-')[0]}` : '—'}
        </dd>
        {node.role === 'fenced' && (
          <>
            <dt className="text-slate-500">Fenced</dt>
            <dd className="text-amber-800">
              since {node.fencedSince ? clock(node.fencedSince) : '—'}: missed writes, restore before use
            </dd>
          </>
        )}
        <dt className="text-slate-500">read_only</dt>
        <dd>{node.readOnly === null || !node.reachable ? '—' : node.readOnly ? 'ON' : 'OFF'}</dd>
        {node.lastError && (
          <>
            <dt className="text-slate-500">Problem</dt>
            <dd className="text-red-700">{node.lastError}</dd>
          </>
        )}
      </dl>
      {children}
    </article>
  );
}
