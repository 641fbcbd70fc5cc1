import { useId } from 'react';
import type { DirectionHealth, DirectionStatus, NodeStatus, SipService, SipStatus } from '@/lib/health/types';
import { arrowLabel, arrowPath, NODE, nodeX, SIP, width } from './layout';

// The deployment as a picture: database nodes (connection-list order), SIP servers above the
// node each one uses, replication directions as arrows coloured by health. Words ride along with
// every colour (badges, arrow labels), so the picture also reads in greyscale.

const arrowColor: Record<DirectionHealth, string> = {
  ok: '#059669',
  lagging: '#d97706',
  broken: '#dc2626',
  unknown: '#94a3b8',
};
const roleStyle: Record<NodeStatus['role'], { stroke: string; fill: string; badge: string }> = {
  active: { stroke: '#059669', fill: '#ecfdf5', badge: '#059669' },
  standby: { stroke: '#64748b', fill: '#f8fafc', badge: '#64748b' },
  fenced: { stroke: '#d97706', fill: '#fffbeb', badge: '#d97706' },
  down: { stroke: '#dc2626', fill: '#fef2f2', badge: '#dc2626' },
};

function lagWords(d: DirectionStatus): string {
  if (d.health === 'broken') return d.errors[0]?.errno ? `error ${d.errors[0].errno}` : 'stopped';
  if (d.health === 'unknown') return 'unknown';
  return d.lagMs === null ? 'ok' : d.lagMs >= 1000 ? `${(d.lagMs / 1000).toFixed(1)} s` : `${d.lagMs} ms`;
}

const SHORT: Record<string, string> = {
  'cannot register': 'CANNOT REGISTER',
  'writes to a fenced node': 'WRITES TO FENCED',
};

/** A SIP server's box: OPTIONS alone is not service; the synthetic REGISTER and db_cluster say more. */
function sipBox(s: SipStatus, service: SipService | undefined) {
  const rtt = s.udp?.rttMs?.toFixed(1) ?? s.tcp?.rttMs?.toFixed(1) ?? '?';
  if (s.up === null) return { state: 'unknown', color: '#94a3b8', fill: '#f8fafc', words: 'checking' };
  if (!s.up) return { state: 'down', color: '#dc2626', fill: '#fef2f2', words: 'SIP DOWN' };
  if (service?.health === 'down')
    return {
      state: 'down',
      color: '#dc2626',
      fill: '#fef2f2',
      words: SHORT[service.label] ?? 'CANNOT SERVE',
    };
  // The box is 120 px wide: the service card beside the picture has the whole sentence.
  if (service?.health === 'warn')
    return { state: 'warn', color: '#d97706', fill: '#fffbeb', words: `failed over · ${rtt} ms` };
  return { state: 'up', color: '#059669', fill: '#f0fdf4', words: `SIP up · ${rtt} ms` };
}

export function Topology({
  nodes,
  sip,
  services,
  directions,
}: {
  nodes: NodeStatus[];
  sip: SipStatus[];
  /** Whether each SIP server can serve (REGISTER probe, database in use); OPTIONS only without it. */
  services?: SipService[];
  directions: DirectionStatus[];
}) {
  // One picture per cluster can share a page: each names its own title.
  const titleId = useId();
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const answering = (n: NodeStatus) => n.reachable !== false;
  // Room under the boxes only when a ring's closing arrow needs it.
  const far = directions.some((d) => Math.abs((index.get(d.from) ?? 0) - (index.get(d.to) ?? 0)) > 1);
  return (
    <svg
      viewBox={`0 0 ${width(nodes.length)} ${far ? 310 : 250}`}
      role="img"
      aria-labelledby={titleId}
      className="w-full max-w-4xl rounded-lg border border-slate-200 bg-white"
    >
      <title id={titleId}>
        {`Topology: ${nodes.map((n) => `${n.name} ${n.role}`).join(', ')}; ${directions.map((d) => `${d.from} to ${d.to} ${d.health}`).join(', ') || 'no replication'}`}
      </title>
      <defs>
        {Object.entries(arrowColor).map(([k, c]) => (
          <marker
            key={k}
            id={`arrow-${k}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="4"
            markerHeight="4"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill={c} />
          </marker>
        ))}
      </defs>
      {sip.map((s) => {
        const i = index.get(s.node);
        if (i === undefined) return null;
        const siblings = sip.filter((x) => x.node === s.node);
        const k = siblings.indexOf(s);
        const x =
          nodeX(i, nodes.length) + NODE.w / 2 - SIP.w / 2 + (k - (siblings.length - 1) / 2) * (SIP.w + 8);
        const box = sipBox(
          s,
          services?.find((x) => x.name === s.name),
        );
        return (
          <g key={s.name} data-testid={`topo-sip-${s.name}`} data-state={box.state}>
            <line
              x1={x + SIP.w / 2}
              y1={SIP.y + SIP.h}
              x2={nodeX(i, nodes.length) + NODE.w / 2}
              y2={NODE.y}
              stroke="#cbd5e1"
              strokeDasharray="4 3"
            />
            <rect
              x={x}
              y={SIP.y}
              width={SIP.w}
              height={SIP.h}
              rx={8}
              fill={box.fill}
              stroke={box.color}
              strokeWidth={2}
            />
            <text
              x={x + SIP.w / 2}
              y={SIP.y + 19}
              textAnchor="middle"
              className="fill-slate-900 font-mono text-[13px] font-semibold"
            >
              {s.name}
            </text>
            <text x={x + SIP.w / 2} y={SIP.y + 36} textAnchor="middle" fontSize={11} fill={box.color}>
              {box.words}
            </text>
          </g>
        );
      })}
      {directions.map((d) => {
        const i = index.get(d.from);
        const j = index.get(d.to);
        if (i === undefined || j === undefined) return null;
        const label = arrowLabel(i, j, nodes.length);
        return (
          <g key={`${d.from}-${d.to}`} data-testid={`topo-dir-${d.from}-${d.to}`} data-health={d.health}>
            <path
              d={arrowPath(i, j, nodes.length)}
              fill="none"
              stroke={arrowColor[d.health]}
              strokeWidth={3}
              strokeDasharray={d.health === 'unknown' ? '6 4' : undefined}
              markerEnd={`url(#arrow-${d.health})`}
            />
            <text
              x={label.x}
              y={label.y}
              textAnchor="middle"
              fontSize={11}
              fill={arrowColor[d.health]}
              className="font-semibold"
            >
              {/* Two short lines fit the gap between neighbours; the ring's long curve has room for one. */}
              {label.stacked ? (
                <>
                  <tspan x={label.x}>{`${d.from}→${d.to}`}</tspan>
                  <tspan x={label.x} dy={13}>
                    {lagWords(d)}
                  </tspan>
                </>
              ) : (
                `${d.from}→${d.to} ${lagWords(d)}`
              )}
            </text>
          </g>
        );
      })}
      {nodes.map((n, i) => {
        const st = answering(n) ? roleStyle[n.role] : roleStyle.down;
        const x = nodeX(i, nodes.length);
        return (
          <g
            key={n.name}
            data-testid={`topo-node-${n.name}`}
            data-role={n.role}
            data-state={n.reachable === false ? 'down' : 'up'}
          >
            <rect
              x={x}
              y={NODE.y}
              width={NODE.w}
              height={NODE.h}
              rx={10}
              fill={st.fill}
              stroke={st.stroke}
              strokeWidth={2.5}
            />
            <text x={x + 12} y={NODE.y + 24} className="fill-slate-900 font-mono text-[15px] font-semibold">
              {n.name}
            </text>
            <rect x={x + NODE.w - 74} y={NODE.y + 10} width={64} height={18} rx={9} fill={st.badge} />
            <text
              x={x + NODE.w - 42}
              y={NODE.y + 23}
              textAnchor="middle"
              fontSize={10}
              fontWeight={700}
              fill="white"
            >
              {n.role.toUpperCase()}
            </text>
            <text x={x + 12} y={NODE.y + 46} fontSize={11} fill="#475569">
              {n.flavor ? `${n.flavor} ${n.version?.split('-')[0]}` : '—'}
            </text>
            <text
              x={x + 12}
              y={NODE.y + 63}
              fontSize={11}
              fill={n.reachable === false ? '#dc2626' : '#475569'}
            >
              {n.reachable === false
                ? `down · ${(n.lastError ?? 'unreachable').replace(/\s*\(.*\)$/, '')}`.slice(0, 22)
                : `read_only ${n.readOnly ? 'ON' : 'OFF'} · ${n.latencyMs ?? '?'} ms`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
