import type { PreflightItem } from '@/lib/galera/preflight';

/** Bootstrap preflight: every setting that is not as Galera needs it, and my.cnf lines per node. */
export function GaleraPreflight({ items, cnf }: { items: PreflightItem[]; cnf: Record<string, string[]> }) {
  const bad = items.filter((i) => !i.ok);
  return (
    <div className="space-y-3 text-sm">
      {bad.length === 0 ? (
        <p className="text-emerald-700">
          All {items.length} checks pass: every node has the settings a Galera cluster needs
          {items.some((i) => i.setting === 'cluster membership')
            ? ', none belongs to a running cluster, its Galera ports are free and the SST account exists'
            : ''}
          .
        </p>
      ) : (
        <ul className="list-disc pl-6 text-amber-900">
          {bad.map((i) => (
            <li key={`${i.node}-${i.setting}`}>
              {i.node}: <code>{i.setting}</code> is {i.have === null ? 'not readable' : <code>{i.have}</code>}
              , needs <code>{i.want}</code>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary className="cursor-pointer">
          my.cnf lines per node (a restart is needed after changing them)
        </summary>
        <div className="mt-2 grid gap-3 md:grid-cols-3">
          {Object.entries(cnf).map(([node, lines]) => (
            <pre
              key={node}
              title={`my.cnf for ${node}`}
              className="overflow-x-auto rounded bg-slate-100 p-2 text-xs"
            >
              {`# ${node}\n${lines.join('\n')}`}
            </pre>
          ))}
        </div>
      </details>
    </div>
  );
}
