// Compares what DNS says with the configured SIP servers and their probes, and says in words
// what a phone will do. Pure: the page and the tests feed it real resolutions.

import { domainWarnings } from './analyze-naptr';
import type { Resolution, SrvSet, Target, Transport } from './rfc3263';

export { hasNaptrBug } from './analyze-naptr';

export interface ServerView {
  name: string;
  host: string;
  udpPort?: number;
  tcpPort?: number;
  /** Last probe per transport: true answered, false did not, null not probed yet. */
  up: { udp: boolean | null; tcp: boolean | null };
  /** With more than one cluster: the cluster whose SIP server this is (unset for a first stage). */
  cluster?: string;
  /** A first stage in front of the clusters (issue 14), where the SIP domain should lead. */
  firstStage?: boolean;
}

export interface Row extends Target {
  transport: Transport;
  srvName: string;
  server: string | null;
  up: boolean | null;
  /** The matched server's cluster, or first stage, when more than one cluster is configured. */
  cluster?: string;
  firstStage?: boolean;
}

export interface Warning {
  code:
    | 'dns-error'
    | 'no-srv'
    | 'top-priority-down'
    | 'server-missing'
    | 'dangling-target'
    | 'udp-tcp-disagree'
    | 'ttl-over-budget'
    | 'naptr-srv-disagree'
    | 'kamailio-naptr-bug'
    | 'bypasses-first-stage';
  text: string;
}

export interface Analysis {
  rows: Row[];
  warnings: Warning[];
}

const portOf = (s: ServerView, t: Transport) => (t === 'udp' ? s.udpPort : s.tcpPort);

export function serverFor(target: Target, transport: Transport, servers: ServerView[]): ServerView | null {
  return (
    servers.find(
      (s) =>
        portOf(s, transport) === target.port &&
        (s.host.toLowerCase() === target.target || target.addresses.some((a) => a.address === s.host)),
    ) ?? null
  );
}

function rowsOf(set: SrvSet, servers: ServerView[]): Row[] {
  return set.targets.map((t) => {
    const s = serverFor(t, set.transport, servers);
    const up = s ? (set.transport === 'udp' ? s.up.udp : s.up.tcp) : null;
    return {
      ...t,
      transport: set.transport,
      srvName: set.name,
      server: s?.name ?? null,
      up,
      ...(s?.cluster ? { cluster: s.cluster } : {}),
      ...(s?.firstStage ? { firstStage: true } : {}),
    };
  });
}

export function analyze(
  r: Resolution,
  servers: ServerView[],
  budgetSec: number,
  kamailio: { name: string; version: string }[],
): Analysis {
  const w: Warning[] = [];
  const add = (code: Warning['code'], text: string) => w.push({ code, text });
  if (r.error)
    add(
      'dns-error',
      `The DNS server ${r.server.host}:${r.server.port} did not answer for ${r.domain}: ${r.error}.`,
    );
  const sets = r.srv.filter((s) => s.targets.length > 0);
  for (const s of r.srv) if (s.error) add('dns-error', `Looking up ${s.name} failed: ${s.error}.`);
  if (!r.error && sets.length === 0)
    add(
      'no-srv',
      `${r.domain} has no SRV records: phones fall back to its A record on port 5060, with no failover and no load sharing.`,
    );
  const rows = sets.flatMap((s) => rowsOf(s, servers));
  for (const s of sets) {
    const mine = rows.filter((x) => x.srvName === s.name);
    const top = Math.min(...mine.map((x) => x.priority));
    const first = mine.filter((x) => x.priority === top);
    if (first.every((x) => x.up === false)) {
      const backup = mine.some((x) => x.priority > top && x.up === true);
      add(
        'top-priority-down',
        `Every target of priority ${top} in ${s.name} is down (${first.map((x) => x.server ?? x.target).join(', ')}): phones try each and time out before they ${backup ? 'fall back to a lower priority' : 'give up: no lower priority target is up either'}.`,
      );
    }
    for (const x of mine) {
      if (x.addresses.length === 0)
        add(
          'dangling-target',
          `${s.name} points at ${x.target}, which has no address (A record): phones that pick it fail.`,
        );
      else if (!x.server)
        add(
          'dangling-target',
          `${s.name} points at ${x.target}:${x.port} (${x.addresses.map((a) => a.address).join(', ')}), which is no configured SIP server.`,
        );
    }
    // Behind a first stage the clusters' SIP servers are reached through it: the domain must
    // lead to the first stage, and a cluster's own server in it takes only that cluster's users.
    const stages = servers.filter((x) => x.firstStage);
    for (const srv of stages.length ? stages : servers) {
      const port = portOf(srv, s.transport);
      if (port && !mine.some((x) => x.server === srv.name))
        add(
          'server-missing',
          `${srv.firstStage ? 'First stage' : 'SIP server'} ${srv.name} (${srv.host}:${port}) is not in ${s.name}: phones using ${s.transport.toUpperCase()} never reach it.`,
        );
    }
    const direct = mine.filter((x) => stages.length && x.cluster && !x.firstStage);
    if (direct.length)
      add(
        'bypasses-first-stage',
        `${s.name} points at ${direct.map((x) => `${x.server} (cluster ${x.cluster})`).join(', ')} directly, not at the first stage: a phone that picks one can register only that cluster's users.`,
      );
  }
  const udp = rows.filter((x) => x.transport === 'udp');
  const tcp = rows.filter((x) => x.transport === 'tcp');
  if (udp.length && tcp.length) {
    const key = (xs: Row[]) =>
      xs
        .map((x) => `${x.server ?? x.target} ${x.priority}/${x.weight}`)
        .sort()
        .join(', ');
    if (key(udp) !== key(tcp))
      add(
        'udp-tcp-disagree',
        `UDP and TCP records disagree: UDP sends to ${key(udp)}; TCP sends to ${key(tcp)} (server priority/weight).`,
      );
  }
  for (const x of domainWarnings({ r, rows, sets, budgetSec, kamailio })) w.push(x);
  return { rows, warnings: w };
}
