// Warnings about the domain as a whole: TTLs against the failover budget, NAPTR against SRV,
// and proxies with Kamailio's NAPTR failover bug (upstream issue 4911).
import type { Row, Warning } from './analyze';
import { type Resolution, SERVICES, type SrvSet } from './rfc3263';

/** Kamailio 5.3 and later (at least up to 6.1.4) fail a whole NAPTR domain after one failed lookup. */
export function hasNaptrBug(version: string): boolean {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const v = Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]);
  return v >= 50_300 && v <= 60_104;
}

export function domainWarnings({
  r,
  rows,
  sets,
  budgetSec,
  kamailio,
}: {
  r: Resolution;
  rows: Row[];
  sets: SrvSet[];
  budgetSec: number;
  kamailio: { name: string; version: string }[];
}): Warning[] {
  const w: Warning[] = [];
  const add = (code: Warning['code'], text: string) => w.push({ code, text });
  const ttls = [
    ...r.naptr.map((n) => ({ what: `NAPTR of ${r.domain}`, ttl: n.ttl })),
    ...rows.map((x) => ({ what: x.srvName, ttl: x.ttl })),
    ...rows.flatMap((x) => x.addresses.map((a) => ({ what: `A of ${x.target}`, ttl: a.ttl }))),
  ];
  const seen = new Set<string>();
  for (const t of ttls)
    if (t.ttl > budgetSec && !seen.has(t.what)) {
      seen.add(t.what);
      add(
        'ttl-over-budget',
        `The TTL of ${t.what} is ${t.ttl} s, longer than the failover budget of ${budgetSec} s: a drain or a change there reaches phones only after up to ${t.ttl} s.`,
      );
    }
  const usable = r.naptr.filter((n) => n.transport);
  for (const n of usable) {
    const expect = SERVICES[n.service.toUpperCase()]!.srv;
    const label = n.replacement.split('.').slice(0, 2).join('.');
    const set = r.srv.find((s) => s.name === n.replacement);
    if (!set || set.targets.length === 0)
      add(
        'naptr-srv-disagree',
        `NAPTR ${n.service} points at ${n.replacement || '(nothing)'}, which has no SRV records: clients that follow NAPTR find no server for ${n.transport?.toUpperCase()}.`,
      );
    else if (label !== expect && Object.values(SERVICES).some((x) => x.srv === label))
      add(
        'naptr-srv-disagree',
        `NAPTR ${n.service} (${n.transport?.toUpperCase()}) points at ${n.replacement}, the SRV name of another transport (expected ${expect}.…).`,
      );
  }
  if (usable.length)
    for (const s of sets.filter((x) => !x.viaNaptr))
      add(
        'naptr-srv-disagree',
        `${s.name} has records, but no NAPTR record of ${r.domain} leads there: clients that follow NAPTR never use ${s.transport.toUpperCase()}.`,
      );
  if (usable.length)
    for (const k of kamailio.filter((x) => hasNaptrBug(x.version)))
      add(
        'kamailio-naptr-bug',
        `${k.name} runs ${k.version}, affected by Kamailio issue 4911: with NAPTR and DNS failover, one request that finds every target dead fails all others to ${r.domain} until the NAPTR record expires (${Math.max(...r.naptr.map((n) => n.ttl))} s here). Keep the NAPTR TTL short or upgrade once the fix is released.`,
      );
  return w;
}
