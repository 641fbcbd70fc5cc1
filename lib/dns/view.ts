import 'server-only';
import { getConfig } from '@/lib/config/load';
import type { SiphaConfig } from '@/lib/config/schema';
import { probeServer, sipSnapshot } from '@/lib/health/sip-sampler';
import type { SipStatus } from '@/lib/health/types';
import { kamailioRpc } from '@/lib/sip/jsonrpc';
import { mapVersion } from '@/lib/sip/stats';
import { type Analysis, analyze, type ServerView } from './analyze';
import { type Resolution, resolveSipDomain } from './rfc3263';

// The DNS page's data: every configured SIP domain resolved from every configured DNS server,
// next to the SIP servers' last probes. No secret leaves this module (the TSIG key stays in
// the config and is used only by ./drain.ts).

export interface DomainView {
  domain: string;
  server: string;
  resolution: Resolution;
  analysis: Analysis;
}

export interface DnsView {
  configured: boolean;
  budgetSec: number;
  canDrain: boolean;
  servers: ServerView[];
  domains: DomainView[];
  kamailio: { name: string; version: string }[];
}

/** The sampler's last OPTIONS results; probed now when the sampler has not run yet. */
export async function serverViews(cfg: SiphaConfig = getConfig()): Promise<ServerView[]> {
  let snap: SipStatus[] = sipSnapshot(cfg.sipServers);
  if (snap.some((s) => s.checkedAt === null))
    snap = await Promise.all(cfg.sipServers.map((s) => probeServer(s)));
  return cfg.sipServers.map((s) => {
    const p = snap.find((x) => x.name === s.name);
    const up = (r: SipStatus['udp'] | undefined) => (r ? r.ok : null);
    return {
      name: s.name,
      host: s.host,
      udpPort: s.udpPort,
      tcpPort: s.tcpPort,
      up: { udp: up(p?.udp), tcp: up(p?.tcp) },
    };
  });
}

/** Kamailio versions of the proxies that resolve the SIP domains (for the known NAPTR bug). */
async function kamailioVersions(cfg: SiphaConfig): Promise<{ name: string; version: string }[]> {
  const all = (cfg.dns?.edges ?? []).map((e) => ({ name: e.name, url: e.rpcUrl }));
  const out = await Promise.all(
    all.map(async (k) => {
      const raw = await kamailioRpc({ url: k.url, method: 'core.version', timeoutMs: 800 }).catch(() => null);
      const version = mapVersion({ raw });
      return version ? { name: k.name, version } : null;
    }),
  );
  return out.filter((x) => x !== null);
}

export async function getDnsView(): Promise<DnsView> {
  const cfg = getConfig();
  const dns = cfg.dns;
  if (!dns)
    return { configured: false, budgetSec: 0, canDrain: false, servers: [], domains: [], kamailio: [] };
  const [servers, kamailio] = await Promise.all([serverViews(cfg), kamailioVersions(cfg)]);
  const domains = await Promise.all(
    cfg.domains.flatMap((domain) =>
      dns.servers.map(async (server) => {
        const resolution = await resolveSipDomain(server, domain);
        return {
          domain,
          server: `${server.host}:${server.port}`,
          resolution,
          analysis: analyze(resolution, servers, dns.failoverBudgetSec, kamailio),
        };
      }),
    ),
  );
  return {
    configured: true,
    budgetSec: dns.failoverBudgetSec,
    canDrain: Boolean(dns.update),
    servers,
    domains,
    kamailio,
  };
}
