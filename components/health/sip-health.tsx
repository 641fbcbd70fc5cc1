import type { KamailioSummary, SipService, SipStatus } from '@/lib/health/types';
import { clock } from '../clock';
import { probeText, sipState } from '../sip-probe';
import { SipServiceText } from '../sip-service';
import { StateDot } from '../state-dot';

export function SipHealth({
  server,
  rpc,
  service,
}: {
  server: SipStatus;
  rpc: KamailioSummary | undefined;
  service?: SipService;
}) {
  const { label: state, health } = service ?? sipState(server);
  return (
    <article
      aria-label={`SIP server ${server.name}`}
      data-state={health}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <header className="flex items-center justify-between">
        <h3 className="font-mono text-lg font-semibold">{server.name}</h3>
        <StateDot health={health} label={state} />
      </header>
      <p className="text-xs text-slate-500">
        {server.host} · server_id {server.serverId} · site node {server.node}
      </p>
      <dl className="mt-3 grid grid-cols-[7rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-500">OPTIONS UDP</dt>
        <dd>{probeText(server.udp, { long: true })}</dd>
        <dt className="text-slate-500">OPTIONS TCP</dt>
        <dd>{probeText(server.tcp, { long: true })}</dd>
      </dl>
      {service && <SipServiceText service={service} />}
      {rpc?.configured && (
        <div className="mt-3 border-t border-slate-100 pt-2 text-sm">
          <p className="font-medium">
            Kamailio says
            {rpc.checkedAt ? (
              <span className="font-normal text-slate-500"> (JSON-RPC, {clock(rpc.checkedAt)})</span>
            ) : null}
          </p>
          <ul className="ml-4 list-disc">
            {rpc.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          {rpc.errors.length > 0 && (
            <p className="mt-1 text-xs text-amber-800">Not available: {rpc.errors.join('; ')}</p>
          )}
        </div>
      )}
    </article>
  );
}
