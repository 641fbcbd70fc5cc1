import type { GaleraNodeHealth } from '@/lib/galera/health';

// The cluster as one synchronous group: the nodes of the primary component inside one box
// (every commit is certified by all of them), the writer with a thick outline, and the nodes
// outside it (down, non-Primary, not yet joined) beside the box, each with its state in words.

function color(n: GaleraNodeHealth): string {
  if (!n.status) return n.reachable !== false && !n.error ? '#64748b' : '#dc2626';
  if (n.status.clusterStatus !== 'Primary') return '#dc2626';
  if (n.status.localState !== 'Synced') return '#f59e0b';
  return '#10b981';
}

function stateWords(n: GaleraNodeHealth): string {
  const s = n.status;
  if (!s) return n.reachable === false || n.error ? 'down' : 'wsrep off';
  if (s.clusterStatus !== 'Primary') return s.clusterStatus;
  return s.localState;
}

/** The primary component the writer is in (or the largest one), by cluster state UUID. */
function members(nodes: GaleraNodeHealth[]): Set<string> {
  const primary = nodes.filter((n) => n.status?.clusterStatus === 'Primary');
  const uuid =
    primary.find((n) => n.writer)?.status?.clusterUuid ??
    primary.toSorted((a, b) => (b.status?.clusterSize ?? 0) - (a.status?.clusterSize ?? 0))[0]?.status
      ?.clusterUuid;
  return new Set(primary.filter((n) => n.status?.clusterUuid === uuid).map((n) => n.name));
}

export function GaleraTopology({ nodes }: { nodes: GaleraNodeHealth[] }) {
  const inside = members(nodes);
  const ordered = [...nodes.filter((n) => inside.has(n.name)), ...nodes.filter((n) => !inside.has(n.name))];
  const step = 150;
  // The box fits its members and its title; the nodes outside it follow, apart.
  const boxW = inside.size > 0 ? Math.max(step * (inside.size - 1) + 124, 400) : 0;
  const x = (i: number) =>
    i < inside.size ? 90 + step * i : (inside.size > 0 ? 28 + boxW + 40 + 66 : 90) + step * (i - inside.size);
  const w = Math.max(520, x(nodes.length - 1) + 90);
  const h = 250;
  const y = 120;
  const size = Math.max(0, ...nodes.flatMap((n) => (inside.has(n.name) ? [n.status?.clusterSize ?? 0] : [])));
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label="Galera cluster topology"
      className="w-full max-w-2xl"
    >
      {inside.size > 0 && (
        <g aria-label={`primary component ${[...inside].join(' ')}`}>
          <rect
            x={x(0) - 62}
            y={30}
            width={boxW}
            height={h - 44}
            rx={18}
            fill="#ecfdf5"
            stroke="#10b981"
            strokeWidth={2}
          />
          <text x={x(0) - 50} y={52} fontSize={13} fontWeight={600} fill="#065f46">
            {`Primary component · ${size} of ${nodes.length} · synchronous`}
          </text>
        </g>
      )}
      {ordered.map((n, i) => (
        <g key={n.name} aria-label={`${n.name} ${stateWords(n)}${n.writer ? ' writer' : ''}`}>
          {!inside.has(n.name) && (
            <rect
              x={x(i) - 66}
              y={74}
              width={132}
              height={150}
              rx={14}
              fill="none"
              stroke="#94a3b8"
              strokeDasharray="5 4"
            />
          )}
          <circle cx={x(i)} cy={y} r={28} fill={color(n)} stroke="#0f172a" strokeWidth={n.writer ? 5 : 1} />
          <text x={x(i)} y={y + 5} textAnchor="middle" fontSize={15} fontWeight={700} fill="white">
            {n.name}
          </text>
          <text x={x(i)} y={y + 48} textAnchor="middle" fontSize={12} fontWeight={600} fill="#1e293b">
            {stateWords(n)}
            {n.writer ? ' · writer' : ''}
          </text>
          <text x={x(i)} y={y + 64} textAnchor="middle" fontSize={11} fill="#475569">
            {n.transfer
              ? `${n.transfer.phase} ${n.transfer.percent === null ? '…' : `${n.transfer.percent} %`}`
              : n.status
                ? `seqno ${n.status.lastCommitted}`
                : ''}
          </text>
        </g>
      ))}
    </svg>
  );
}
