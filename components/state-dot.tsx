const colors = {
  up: 'bg-emerald-500',
  down: 'bg-red-600',
  warn: 'bg-amber-500',
  unknown: 'bg-slate-400',
} as const;

export type Health = keyof typeof colors;

/** A coloured dot with its meaning in words beside it: colour is never the only signal. */
export function StateDot({ health, label }: { health: Health; label: string }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${colors[health]}`} />
      <span>{label}</span>
    </span>
  );
}
