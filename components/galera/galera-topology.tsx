import type { GaleraNodeHealth } from '@/lib/galera/health';

// The cluster as a ring of nodes: a line joins two nodes in the same primary component, the
// writer has a thick outline, and every node says its state in words under its name.

function color(n: GaleraNodeHealth): string {
  if (!n.status) return '#dc2626';
  if (n.status.clusterStatus !== 'Primary') return '#dc2626';
  if (n.status.localState !== 'Synced') return '#f59e0b';
  return '#10b981';
}

export function GaleraTopology({ nodes }: { nodes: GaleraNodeHealth[] }) {
  const w = 520;
  const h = 260;
  const r = 90;
  const pos = nodes.map((_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(nodes.length, 1);
    return { x: w / 2 + r * 1.6 * Math.cos(a), y: h / 2 + 10 + r * Math.sin(a) };
  });
  const primary = (n: GaleraNodeHealth) => n.status?.clusterStatus === 'Primary';
  const edges: [number, number][] = [];
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++)
      if (
        primary(nodes[i]!) &&
        primary(nodes[j]!) &&
        nodes[i]!.status?.clusterUuid === nodes[j]!.status?.clusterUuid
      )
        edges.push([i, j]);
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label="Galera cluster topology"
      className="w-full max-w-xl"
    >
      {edges.map(([a, b]) => (
        <line
          key={`${a}-${b}`}
          x1={pos[a]!.x}
          y1={pos[a]!.y}
          x2={pos[b]!.x}
          y2={pos[b]!.y}
          stroke="#94a3b8"
          strokeWidth={2}
        />
      ))}
      {nodes.map((n, i) => (
        <g key={n.name} aria-label={`${n.name} ${n.status?.localState ?? 'down'}`}>
          <circle
            cx={pos[i]!.x}
            cy={pos[i]!.y}
            r={26}
            fill={color(n)}
            stroke="#0f172a"
            strokeWidth={n.writer ? 5 : 1}
          />
          <text
            x={pos[i]!.x}
            y={pos[i]!.y + 5}
            textAnchor="middle"
            fontSize={15}
            fontWeight={700}
            fill="white"
          >
            {n.name}
          </text>
          <text x={pos[i]!.x} y={pos[i]!.y + 44} textAnchor="middle" fontSize={12} fill="#334155">
            {n.status ? `${n.status.localState} · ${n.status.clusterStatus}` : (n.error ?? 'down')}
            {n.writer ? ' · writer' : ''}
          </text>
        </g>
      ))}
    </svg>
  );
}
