import type { Series } from '@/lib/health/types';

// A small hand-drawn SVG line chart for the last hour; gaps (null samples) break the line.

const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { l: 52, r: 10, t: 10, b: 24 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v) ?? v;
}

const clock = (t: number) =>
  new Date(t).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

export function LineChart({
  title,
  series,
  unit,
  format = (v) => String(v),
  minMax = 10,
}: {
  title: string;
  series: Series[];
  unit: string;
  format?: (v: number) => string;
  /** The smallest top of the y axis, so a flat zero line does not get a 0–1 scale. */
  minMax?: number;
}) {
  const all = series.flatMap((s) => s.points);
  const values = all.map((p) => p[1]).filter((v): v is number => v !== null);
  const now = all.length ? Math.max(...all.map((p) => p[0])) : Date.now();
  const t0 = Math.min(now - 5 * 60_000, ...all.map((p) => p[0]));
  const yMax = niceMax(Math.max(minMax, ...values) * 1.1);
  const x = (t: number) => PAD.l + ((t - t0) / Math.max(1, now - t0)) * (WIDTH - PAD.l - PAD.r);
  const y = (v: number) => HEIGHT - PAD.b - (v / yMax) * (HEIGHT - PAD.t - PAD.b);
  const segments = (pts: [number, number | null][]) => {
    const out: string[] = [];
    let cur: string[] = [];
    for (const [t, v] of pts) {
      if (v === null) {
        if (cur.length) out.push(cur.join(' '));
        cur = [];
      } else cur.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
    }
    if (cur.length) out.push(cur.join(' '));
    return out;
  };
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3">
      <figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: ${series.map((s) => `${s.label} latest ${s.points.at(-1)?.[1] ?? 'none'} ${unit}`).join('; ') || 'no samples yet'}`}
        className="w-full"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.l} x2={WIDTH - PAD.r} y1={y(yMax * f)} y2={y(yMax * f)} stroke="#e2e8f0" />
            <text
              x={PAD.l - 6}
              y={y(yMax * f) + 4}
              textAnchor="end"
              fontSize={10}
              fill="#64748b"
            >{`${format(yMax * f)}`}</text>
          </g>
        ))}
        <text x={PAD.l} y={HEIGHT - 6} fontSize={10} fill="#64748b">
          {clock(t0)}
        </text>
        <text x={WIDTH - PAD.r} y={HEIGHT - 6} fontSize={10} fill="#64748b" textAnchor="end">
          {clock(now)}
        </text>
        {series.map((s, i) =>
          segments(s.points).map((pts) =>
            pts.includes(' ') ? (
              <polyline
                key={`${s.key}-${pts.slice(0, 24)}`}
                points={pts}
                fill="none"
                stroke={COLORS[i % COLORS.length]}
                strokeWidth={1.8}
              />
            ) : (
              <circle
                key={`${s.key}-${pts.slice(0, 24)}`}
                cx={pts.split(',')[0]}
                cy={pts.split(',')[1]}
                r={2}
                fill={COLORS[i % COLORS.length]}
              />
            ),
          ),
        )}
      </svg>
      <ul className="mt-1 flex flex-wrap gap-4 text-xs">
        {series.map((s, i) => (
          <li key={s.key} className="flex items-center gap-1">
            <span
              aria-hidden
              className="inline-block h-2 w-4 rounded"
              style={{ background: COLORS[i % COLORS.length] }}
            />
            {s.label}: {s.points.at(-1)?.[1] == null ? '—' : `${format(s.points.at(-1)![1]!)} ${unit}`}
          </li>
        ))}
        {!series.length && (
          <li className="text-slate-500">
            No samples yet: the console samples every second and keeps an hour.
          </li>
        )}
      </ul>
    </figure>
  );
}
