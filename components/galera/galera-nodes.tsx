import type { GaleraNodeHealth } from '@/lib/galera/health';
import { DataTable } from '../data-table';
import { StateDot } from '../state-dot';

const pct = (f: number) => `${(f * 100).toFixed(1)} %`;

export function GaleraNodes({ nodes }: { nodes: GaleraNodeHealth[] }) {
  return (
    <DataTable
      columns={[
        'Node',
        'State',
        'Component',
        'Size',
        'Ready',
        'Flow control',
        'Queues recv / send',
        'Cert failures',
        'Last committed',
      ]}
    >
      {nodes.map((n) => {
        const s = n.status;
        // Answering with wsrep off: a plain server, not (yet) a cluster member.
        const plain = !s && n.reachable !== false && !n.error;
        const health = plain ? 'warn' : !s ? 'down' : n.writable ? 'up' : 'warn';
        return (
          <tr key={n.name} aria-label={`galera node ${n.name}`} className="border-t border-slate-100">
            <td className="px-3 py-2 font-mono font-semibold">
              {n.name}
              {n.writer && (
                <span className="ml-2 rounded bg-slate-900 px-1.5 text-xs text-white">writer</span>
              )}
              <div className="text-xs font-normal text-slate-500">
                {n.host}:{n.port}
              </div>
            </td>
            <td className="px-3 py-2">
              <StateDot
                health={health}
                label={s?.localState ?? (plain ? 'wsrep off (plain server)' : (n.error ?? 'down'))}
              />
              {s && <div className="text-xs text-slate-500">for {Math.round(n.inStateMs / 1000)} s</div>}
              {n.transfer && (
                <div className="text-xs text-amber-800" title={n.transfer.source}>
                  {n.transfer.phase} {n.transfer.percent === null ? 'in progress' : `${n.transfer.percent} %`}
                  : {n.transfer.source}
                </div>
              )}
            </td>
            <td className="px-3 py-2">{s?.clusterStatus ?? '–'}</td>
            <td className="px-3 py-2">{s?.clusterSize ?? '–'}</td>
            <td className="px-3 py-2">{s ? (s.ready ? 'ON' : 'OFF') : '–'}</td>
            <td className="px-3 py-2">{s ? pct(s.flowControlPaused) : '–'}</td>
            <td className="px-3 py-2">{s ? `${s.recvQueue} / ${s.sendQueue}` : '–'}</td>
            <td className="px-3 py-2">{s?.certFailures ?? '–'}</td>
            <td className="px-3 py-2 font-mono">{s?.lastCommitted ?? '–'}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
