import type { Row } from '@/lib/dns/analyze';
import type { NaptrRow } from '@/lib/dns/rfc3263';
import { StateDot } from '../state-dot';

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

function Up({ up }: { up: boolean | null }) {
  if (up === null) return <StateDot health="unknown" label="not probed" />;
  return up ? <StateDot health="up" label="answers" /> : <StateDot health="down" label="no answer" />;
}

export function NaptrTable({ rows }: { rows: NaptrRow[] }) {
  if (rows.length === 0)
    return <p className="text-sm text-slate-600">No NAPTR records: clients go straight to SRV.</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">NAPTR records</caption>
      <thead className="text-slate-500">
        <tr>
          <th className="py-1">order</th>
          <th>pref</th>
          <th>service</th>
          <th>transport</th>
          <th>replacement</th>
          <th>TTL</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((n) => (
          <tr
            key={`${n.service}-${n.replacement}-${n.order}`}
            className="border-t border-slate-100 font-mono"
          >
            <td className="py-1">{n.order}</td>
            <td>{n.preference}</td>
            <td>{n.service}</td>
            <td>{n.transport?.toUpperCase() ?? 'not SIP'}</td>
            <td>{n.replacement}</td>
            <td>{n.ttl} s</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One row per SRV target: what a phone picks, how often, and whether it answers now. */
export function SrvTable({ rows, caption = 'SRV targets' }: { rows: Row[]; caption?: string }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-slate-500">
        <tr>
          <th className="py-1">transport</th>
          <th>priority</th>
          <th>weight</th>
          <th>share</th>
          <th>target</th>
          <th>address</th>
          <th>TTL</th>
          <th>SIP server</th>
          <th>now</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.srvName}-${r.target}-${r.port}`} className="border-t border-slate-100">
            <td className="py-1">{r.transport.toUpperCase()}</td>
            <td className="font-mono">{r.priority}</td>
            <td className="font-mono">{r.weight}</td>
            <td className="font-mono">{r.share > 0 ? pct(r.share) : 'backup'}</td>
            <td className="font-mono">
              {r.target}:{r.port}
            </td>
            <td className="font-mono">{r.addresses.map((a) => a.address).join(', ') || 'none'}</td>
            <td className="font-mono">{r.ttl} s</td>
            <td className="font-mono">{r.server ?? 'not configured'}</td>
            <td>
              <Up up={r.up} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
