import type { NodeReplication, NodeStatus } from '@/lib/health/types';
import { DataTable } from '../data-table';
import { StateDot } from '../state-dot';

export function NodeTable({ nodes, replication }: { nodes: NodeStatus[]; replication: NodeReplication[] }) {
  const rep = new Map(replication.map((r) => [r.name, r]));
  return (
    <DataTable columns={['Node', 'State', 'Role', 'Server', 'read_only', 'GTID positions', 'Heartbeat']}>
      {nodes.map((n) => {
        const r = rep.get(n.name);
        const up = n.reachable !== false && r?.answering !== false;
        const state = n.reachable === null ? 'checking…' : up ? 'up' : 'down';
        return (
          <tr
            key={n.name}
            aria-label={`node ${n.name}`}
            data-state={state}
            className="border-t border-slate-100 align-top"
          >
            <td className="px-3 py-2 font-mono font-semibold">
              {n.name}
              <div className="text-xs font-normal text-slate-500">
                {n.host}:{n.port}
              </div>
            </td>
            <td className="px-3 py-2">
              <StateDot health={n.reachable === null ? 'unknown' : up ? 'up' : 'down'} label={state} />
              {!up && (
                <div className="text-xs text-red-700">{n.lastError ?? r?.sampleError ?? 'not answering'}</div>
              )}
            </td>
            <td className="px-3 py-2 uppercase">{n.role}</td>
            <td className="px-3 py-2">{n.flavor ? `${n.flavor} ${n.version?.split('-')[0]}` : '—'}</td>
            <td className="px-3 py-2">{n.readOnly === null ? '—' : n.readOnly ? 'ON' : 'OFF'}</td>
            <td className="px-3 py-2 font-mono text-xs">
              <div>binlog: {r?.gtidBinlogPos ?? '—'}</div>
              <div>applied: {r?.gtidSlavePos ?? '—'}</div>
            </td>
            <td className="px-3 py-2 text-xs">
              {!up
                ? '— (node not answering)'
                : r?.heartbeatSkipped
                  ? `not written (${r.heartbeatSkipped})`
                  : 'written every second'}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
