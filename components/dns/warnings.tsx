import type { Warning } from '@/lib/dns/analyze';

export function DnsWarnings({ warnings }: { warnings: Warning[] }) {
  if (warnings.length === 0)
    return <p className="text-sm text-emerald-800">DNS matches the configured SIP servers; no warnings.</p>;
  return (
    <ul aria-label="DNS warnings" className="space-y-1 text-sm">
      {warnings.map((w) => (
        <li
          key={w.text}
          data-code={w.code}
          className="rounded border border-amber-300 bg-amber-50 px-3 py-1.5 text-amber-900"
        >
          {w.text}
        </li>
      ))}
    </ul>
  );
}
