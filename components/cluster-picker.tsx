'use client';

import { useRouter } from 'next/navigation';

/**
 * The one cluster chooser (issue 14), shown only when more than one cluster is configured.
 * With `onChange` it is a filter held by the page; without, it navigates to `?cluster=NAME`
 * on the same page, which the page's server code reads (and refuses when unknown).
 * `allLabel` adds a first option for "every cluster" (value '').
 */
export function ClusterPicker({
  clusters,
  value,
  allLabel,
  onChange,
}: {
  clusters: string[];
  value: string;
  allLabel?: string;
  onChange?: (cluster: string) => void;
}) {
  const router = useRouter();
  if (clusters.length < 2) return null;
  const choose = (cluster: string) => {
    if (onChange) return onChange(cluster);
    const url = new URL(window.location.href);
    if (cluster) url.searchParams.set('cluster', cluster);
    else url.searchParams.delete('cluster');
    router.push(`${url.pathname}${url.search}`);
  };
  return (
    <label className="flex w-fit flex-col text-sm">
      <span className="mb-1 font-medium">Cluster</span>
      <select
        value={value}
        onChange={(e) => choose(e.target.value)}
        className="rounded border border-slate-300 px-2 py-1"
      >
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        {clusters.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}
