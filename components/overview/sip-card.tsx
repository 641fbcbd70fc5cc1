import type { SipProbeStatus, SipStatus } from '@/lib/health/types';
import { StateDot } from '../state-dot';

function probeText(p: SipProbeStatus | null): string {
  if (!p) return 'not configured';
  if (!p.ok) return p.error ?? 'no answer';
  return `${p.status} ${p.reason ?? ''} · ${p.rttMs?.toFixed(1)} ms`;
}

export function SipCard({ server }: { server: SipStatus }) {
  const state = server.up === null ? 'checking…' : server.up ? 'up' : 'down';
  return (
    <article
      aria-label={`SIP server ${server.name}`}
      data-state={state}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <header className="flex items-center justify-between">
        <h3 className="font-mono text-lg font-semibold">{server.name}</h3>
        <span className="text-xs text-slate-500">
          server_id {server.serverId} · uses {server.node}
        </span>
      </header>
      <p className="font-mono text-xs text-slate-500">{server.host}</p>
      <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-500">State</dt>
        <dd>
          <StateDot health={server.up === null ? 'unknown' : server.up ? 'up' : 'down'} label={state} />
        </dd>
        <dt className="text-slate-500">UDP {server.udpPort}</dt>
        <dd>{probeText(server.udp)}</dd>
        <dt className="text-slate-500">TCP {server.tcpPort}</dt>
        <dd>{probeText(server.tcp)}</dd>
      </dl>
    </article>
  );
}
