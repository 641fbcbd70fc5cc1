// What an RFC 3263 client resolves for a SIP domain: NAPTR (§4.1), then SRV (RFC 2782), then
// A/AAAA of each SRV target. Every answer keeps its TTL so the page can show it.
import { type DnsServer, query } from './query';
import { type Naptr, type Srv, TYPE } from './wire';

export type Transport = 'udp' | 'tcp' | 'tls';

/** NAPTR services a SIP client understands, and the SRV label each should point at. */
export const SERVICES: Record<string, { transport: Transport; srv: string }> = {
  'SIP+D2U': { transport: 'udp', srv: '_sip._udp' },
  'SIP+D2T': { transport: 'tcp', srv: '_sip._tcp' },
  'SIPS+D2T': { transport: 'tls', srv: '_sips._tcp' },
};

export interface NaptrRow extends Naptr {
  ttl: number;
  transport: Transport | null;
}

export interface Target extends Srv {
  ttl: number;
  /** Share of new requests this target should get while every target is up (0..1). */
  share: number;
  addresses: { address: string; ttl: number }[];
}

export interface SrvSet {
  transport: Transport;
  name: string;
  /** True when a NAPTR record led here; false when the client asked for the SRV name itself. */
  viaNaptr: boolean;
  targets: Target[];
  error?: string;
}

export interface Resolution {
  domain: string;
  server: DnsServer;
  naptr: NaptrRow[];
  srv: SrvSet[];
  error?: string;
}

/**
 * RFC 2782: the lowest priority gets the traffic, shared by weight; lower priorities are
 * backups (share 0). The selection draws a number in [0, sum], so weight-0 records still get
 * 1/(sum+1) together: weight 0 is not a complete drain; a lower priority is. All 0: equal.
 */
export function shares(records: Srv[]): number[] {
  if (records.length === 0) return [];
  const top = Math.min(...records.map((r) => r.priority));
  const group = records.filter((r) => r.priority === top);
  const sum = group.reduce((s, r) => s + r.weight, 0);
  const zeros = group.filter((r) => r.weight === 0).length;
  return records.map((r) => {
    if (r.priority !== top) return 0;
    if (sum === 0) return 1 / group.length;
    if (zeros === 0) return r.weight / sum;
    return r.weight === 0 ? 1 / (sum + 1) / zeros : r.weight / (sum + 1);
  });
}

async function srvSet(
  server: DnsServer,
  name: string,
  transport: Transport,
  viaNaptr: boolean,
): Promise<SrvSet> {
  try {
    const a = await query(server, name, TYPE.SRV);
    const recs = a.records.map((r) => ({ ...(r.data as Srv), ttl: r.ttl }));
    recs.sort((x, y) => x.priority - y.priority || y.weight - x.weight || x.target.localeCompare(y.target));
    const share = shares(recs);
    const targets = await Promise.all(
      recs.map(async (r, i) => {
        const addr = await query(server, r.target, TYPE.A).catch(() => null);
        const addresses = (addr?.records ?? []).map((x) => ({ address: x.data as string, ttl: x.ttl }));
        return { ...r, share: share[i]!, addresses };
      }),
    );
    return {
      transport,
      name,
      viaNaptr,
      targets,
      ...(a.rcode !== 'NOERROR' && a.rcode !== 'NXDOMAIN' ? { error: a.rcode } : {}),
    };
  } catch (e) {
    return { transport, name, viaNaptr, targets: [], error: (e as Error).message };
  }
}

export async function resolveSipDomain(server: DnsServer, domain: string): Promise<Resolution> {
  let naptr: NaptrRow[] = [];
  try {
    const a = await query(server, domain, TYPE.NAPTR);
    naptr = a.records
      .map((r) => {
        const n = r.data as Naptr;
        return { ...n, ttl: r.ttl, transport: SERVICES[n.service.toUpperCase()]?.transport ?? null };
      })
      .sort((x, y) => x.order - y.order || x.preference - y.preference);
  } catch (e) {
    return { domain, server, naptr: [], srv: [], error: `no answer for NAPTR: ${(e as Error).message}` };
  }
  // §4.1: follow the NAPTR records a SIP client supports ("s" flag); without any, ask the
  // SRV names of each transport directly. Those are always looked at too, so the page can
  // say when NAPTR and SRV disagree.
  const followed = naptr.filter((n) => n.transport && n.flags.toLowerCase() === 's');
  const sets = await Promise.all(followed.map((n) => srvSet(server, n.replacement, n.transport!, true)));
  for (const s of Object.values(SERVICES)) {
    const name = `${s.srv}.${domain}`;
    if (sets.some((x) => x.name === name)) continue;
    const set = await srvSet(server, name, s.transport, false);
    if (set.targets.length || set.error) sets.push(set);
  }
  return { domain, server, naptr, srv: sets };
}
