// The DNS page with more than one cluster (issue 14): one domain's SRV targets grouped by what
// they lead to (the first stage, each cluster's SIP servers, nothing configured), with each
// group's servers that no record points at and what that means for phones. Pure.

import type { Row, ServerView } from './analyze';

export interface DnsGroup {
  /** 'first-stage', a cluster's name, or 'unknown' for targets that are no configured server. */
  key: string;
  title: string;
  rows: Row[];
  /** Servers of the group that no SRV record of the domain points at. */
  missing: ServerView[];
  /** What the missing servers mean for phones, in words; null when none is missing. */
  note: string | null;
}

const state = (s: ServerView) => {
  const any = [s.up.udp, s.up.tcp];
  if (any.includes(true)) return 'answers OPTIONS';
  if (any.includes(false)) return 'does not answer OPTIONS';
  return 'not probed yet';
};

const listed = (xs: ServerView[]) => xs.map((s) => `${s.name} (${state(s)})`).join(', ');

/** Groups in page order: first stage, the clusters in configuration order (or the one asked), unknown. */
export function groupTargets({
  rows,
  servers,
  clusters,
  only,
}: {
  rows: Row[];
  servers: ServerView[];
  clusters: string[];
  /** One cluster's group only (the picker); the first stage's is kept, it serves every cluster. */
  only?: string;
}): DnsGroup[] {
  const inDns = (s: ServerView) => rows.some((r) => r.server === s.name);
  const stages = servers.filter((s) => s.firstStage);
  const stageRows = rows.filter((r) => r.firstStage);
  const groups: DnsGroup[] = [];
  if (stages.length || stageRows.length) {
    const missing = stages.filter((s) => !inDns(s));
    groups.push({
      key: 'first-stage',
      title: 'First stage',
      rows: stageRows,
      missing,
      note: missing.length ? `Not in DNS: ${listed(missing)}. Phones never reach it by the domain.` : null,
    });
  }
  const via = stageRows.length ? [...new Set(stageRows.map((r) => r.server))].join(', ') : null;
  for (const c of clusters.filter((x) => !only || x === only)) {
    const mine = servers.filter((s) => s.cluster === c && !s.firstStage);
    const missing = mine.filter((s) => !inDns(s));
    groups.push({
      key: c,
      title: `Cluster ${c}`,
      rows: rows.filter((r) => r.cluster === c && !r.firstStage),
      missing,
      note: missing.length
        ? `Not in DNS: ${listed(missing)}. ${
            via
              ? `Phones reach ${missing.length === 1 ? 'it' : 'them'} through the first stage ${via}.`
              : `Phones never reach ${missing.length === 1 ? 'it' : 'them'} by the domain.`
          }`
        : null,
    });
  }
  const unknown = rows.filter((r) => r.server === null);
  if (!only && unknown.length)
    groups.push({ key: 'unknown', title: 'Not a configured server', rows: unknown, missing: [], note: null });
  return groups;
}
