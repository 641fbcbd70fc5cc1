// Drain and restore as exact record changes (RFC 2136 delete + add), planned from what the
// authoritative server answers now. The records before a drain are kept in the zone itself,
// in a TXT record beside the server's name, so a restore needs no other state.
import { type ServerView, serverFor } from './analyze';
import type { Resolution } from './rfc3263';
import { type RR, type Srv, TYPE } from './wire';

export type DrainMode = 'weight' | 'priority';
export type DrainOp = 'drain' | 'restore';

export interface DrainPlan {
  server: string;
  op: DrainOp;
  mode: DrainMode;
  remove: RR[];
  add: RR[];
  /** The SRV records as they are now and as they will be. */
  before: RR[];
  after: RR[];
}

export const memoName = (server: string, zone: string) => `_sipha-drain.${server}.${zone}`;

export function srvRR(name: string, ttl: number, s: Srv): RR {
  return {
    name,
    type: TYPE.SRV,
    class: 1,
    ttl,
    data: { priority: s.priority, weight: s.weight, port: s.port, target: s.target },
  };
}

/** One zone-file line, the way `dig` shows it: what the preview lists. */
export function rrText(r: RR): string {
  const d = r.data as Srv | string[];
  const body = Array.isArray(d)
    ? d.map((x) => `"${x}"`).join(' ')
    : `${d.priority} ${d.weight} ${d.port} ${d.target}.`;
  return `${r.name}. ${r.ttl} IN ${r.type === TYPE.TXT ? 'TXT' : 'SRV'} ${body}`;
}

/** Current SRV records of one configured server, in every SRV set of the domain. */
function recordsOf(res: Resolution, server: ServerView): RR[] {
  return res.srv.flatMap((set) =>
    set.targets.filter((t) => serverFor(t, set.transport, [server])).map((t) => srvRR(set.name, t.ttl, t)),
  );
}

export function planDrain(a: {
  res: Resolution;
  zone: string;
  server: ServerView;
  op: DrainOp;
  mode: DrainMode;
  /** The TXT memo of an earlier drain, if the zone has one. */
  memo: RR | null;
}): DrainPlan | { problem: string } {
  const mine = recordsOf(a.res, a.server);
  const base = { server: a.server.name, op: a.op, mode: a.mode };
  if (a.op === 'drain') {
    if (a.memo) return { problem: `${a.server.name} is already drained; restore it first.` };
    if (mine.length === 0)
      return { problem: `${a.server.name} has no SRV record in ${a.res.domain}: nothing to drain.` };
    const after = mine.map((r) => {
      const d = r.data as Srv;
      const set = a.res.srv.find((s) => s.name === r.name)!;
      const lowest = Math.max(...set.targets.map((t) => t.priority));
      return srvRR(
        r.name,
        r.ttl,
        a.mode === 'weight' ? { ...d, weight: 0 } : { ...d, priority: Math.min(65535, lowest + 1) },
      );
    });
    const memo: RR = {
      name: memoName(a.server.name, a.zone),
      type: TYPE.TXT,
      class: 1,
      ttl: mine[0]!.ttl,
      data: mine.map(
        (r) => `${r.name} ${(r.data as Srv).priority} ${(r.data as Srv).weight} ${(r.data as Srv).port}`,
      ),
    };
    return { ...base, before: mine, after, remove: mine, add: [...after, memo] };
  }
  if (!a.memo)
    return { problem: `${a.server.name} was not drained through sipha: there is nothing to restore.` };
  const saved = (a.memo.data as string[]).map((line) => {
    const [name, priority, weight, port] = line.split(' ');
    return { name: name!, priority: Number(priority), weight: Number(weight), port: Number(port) };
  });
  const after = mine.map((r) => {
    const d = r.data as Srv;
    const s = saved.find((x) => x.name === r.name && x.port === d.port);
    return srvRR(r.name, r.ttl, s ? { ...d, priority: s.priority, weight: s.weight } : d);
  });
  return { ...base, mode: 'weight', before: mine, after, remove: [...mine, a.memo], add: after };
}
