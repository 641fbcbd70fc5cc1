import type { SipService, SipStatus } from '@/lib/health/types';
import { probeText, sipState } from '../sip-probe';
import { SipServiceText } from '../sip-service';
import { StateDot } from '../state-dot';

export function SipCard({ server, service }: { server: SipStatus; service?: SipService }) {
  const { label: state, health } = service ?? sipState(server);
  return (
    <article
      aria-label={`SIP server ${server.name}`}
      data-state={health}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <header className="flex items-center justify-between">
        <h3 className="font-mono text-lg font-semibold">{server.name}</h3>
        <span className="text-xs text-slate-500">
          server_id {server.serverId} · site node {server.node}
        </span>
      </header>
      <p className="font-mono text-xs text-slate-500">{server.host}</p>
      <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-500">State</dt>
        <dd>
          <StateDot health={health} label={state} />
        </dd>
        <dt className="text-slate-500">UDP {server.udpPort}</dt>
        <dd>{probeText(server.udp)}</dd>
        <dt className="text-slate-500">TCP {server.tcpPort}</dt>
        <dd>{probeText(server.tcp)}</dd>
      </dl>
      {service && <SipServiceText service={service} />}
    </article>
  );
}
