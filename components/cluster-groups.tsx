import type { ReactNode } from 'react';

/**
 * One block per cluster, each under its cluster's name (issue 14). With one cluster it renders
 * that cluster's block alone, exactly as a console without clusters did.
 */
export function ClusterGroups<T extends { cluster?: string }>({
  groups,
  children,
}: {
  groups: T[];
  children: (group: T) => ReactNode;
}) {
  if (groups.length === 1) return <>{children(groups[0]!)}</>;
  return (
    <div className="space-y-6">
      {groups.map((g) => (
        <section key={g.cluster} aria-label={`Cluster ${g.cluster}`} data-cluster={g.cluster}>
          <h3 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600">
            Cluster <span className="font-mono normal-case">{g.cluster}</span>
          </h3>
          {children(g)}
        </section>
      ))}
    </div>
  );
}
