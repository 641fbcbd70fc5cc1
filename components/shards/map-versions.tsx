import type { ShardOverview } from '@/lib/shards/overview';

/** The newest versions of the map, each with who wrote it and why (every change is audited too). */
export function MapVersions({ versions }: { versions: ShardOverview['versions'] }) {
  return (
    <table className="w-full max-w-4xl text-left text-sm">
      <caption className="sr-only">Recent map versions</caption>
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th className="py-1 pr-3">Version</th>
          <th className="pr-3">Written (UTC)</th>
          <th className="pr-3">By</th>
          <th className="pr-3">Ranges</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} className="border-b border-slate-100 align-top">
            <td className="py-1 pr-3 tabular-nums">{v.version}</td>
            <td className="pr-3 whitespace-nowrap tabular-nums">{v.at.replace('T', ' ').slice(0, 19)}</td>
            <td className="pr-3">{v.actor}</td>
            <td className="pr-3 font-mono text-xs">{v.ranges}</td>
            <td>{v.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
