import type { ShardOverview } from '@/lib/shards/overview';

export function ClustersTable({ clusters }: { clusters: ShardOverview['clusters'] }) {
  return (
    <table className="w-full max-w-3xl text-left text-sm">
      <caption className="sr-only">Clusters</caption>
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th className="py-1">Cluster</th>
          <th>Nodes (in order)</th>
          <th>SIP servers</th>
          <th>Writes to</th>
          <th className="text-right">Users</th>
        </tr>
      </thead>
      <tbody>
        {clusters.map((c) => (
          <tr key={c.name} className="border-b border-slate-100">
            <td className="py-1 font-medium">{c.name}</td>
            <td>{c.nodes.join(', ')}</td>
            <td>{c.sip.join(', ') || '—'}</td>
            <td>
              {c.active ?? 'no node'}
              {c.failedOver && <span className="ml-2 text-amber-700">(failed over)</span>}
            </td>
            <td className="text-right tabular-nums">{c.users ?? 'unreachable'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
