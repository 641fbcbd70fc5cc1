import 'server-only';
import { getConfig } from '@/lib/config/load';
import type { SiphaConfig, SipServerConfig } from '@/lib/config/schema';
import { probeServer, sipSnapshot } from '@/lib/health/sip-sampler';
import type { SipStatus } from '@/lib/health/types';
import { kamailioRpc } from '@/lib/sip/jsonrpc';
import { mapVersion } from '@/lib/sip/stats';
import { type Analysis, analyze, type ServerView } from './analyze';
import { type Resolution, resolveSipDomain } from './rfc3263';

// The DNS page's data: every configured SIP domain resolved from every configured DNS server,
// next to the SIP servers' last probes (with several clusters, every cluster's servers and the
// first stages'). No secret leaves this module (the TSIG key stays in the config and is used
// only by ./drain.ts).

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
  /** Every configured cluster's name, in order, with more than one; empty with one. */
  clusters: string[];
}

const up = (r: SipStatus['udp'] | undefined) => (r ? r.ok : null);

/** The sampler's last OPTIONS results; probed now when the sampler has not run yet. */
async function views(servers: SipServerConfig[], cluster?: (s: SipServerConfig) => string) {
  let snap: SipStatus[] = sipSnapshot(servers);
  if (snap.some((s) => s.checkedAt === null)) snap = await Promise.all(servers.map((s) => probeServer(s)));
  return servers.map((s): ServerView => {
    const p = snap.find((x) => x.name === s.name);
    return {
      name: s.name,
      host: s.host,
      udpPort: s.udpPort,
      tcpPort: s.tcpPort,
      up: { udp: up(p?.udp), tcp: up(p?.tcp) },
      ...(cluster ? { cluster: cluster(s) } : {}),
    };
  });
}

/** The home cluster's SIP servers with their last probes (the automatic drain's servers). */
export function serverViews(cfg: SiphaConfig = getConfig()): Promise<ServerView[]> {
  return views(cfg.sipServers);
}

/**
 * What an SRV record of the SIP domain may lead to: with one cluster its SIP servers, exactly as
 * serverViews; with more, the first stages (probed now, 1 s at most, as no sampler watches them)
 * and every cluster's SIP servers, each saying its cluster.
 */
export async function dnsServerViews(cfg: SiphaConfig = getConfig()): Promise<ServerView[]> {
  if (cfg.clusters.length === 1) return serverViews(cfg);
  const owner = new Map(cfg.clusters.flatMap((c) => c.sipServers.map((s) => [s.name, c.name] as const)));
  const [stages, sip] = await Promise.all([
    Promise.all(
      cfg.firstStages.map(async (f): Promise<ServerView> => {
        const p = await probeServer({
          name: f.name,
          host: f.host,
          udpPort: f.udpPort,
          serverId: 0,
          node: '',
        });
        return {
          name: f.name,
          host: f.host,
          udpPort: f.udpPort,
          up: { udp: up(p.udp), tcp: null },
          firstStage: true,
        };
      }),
    ),
    views(
      cfg.clusters.flatMap((c) => c.sipServers),
      (s) => owner.get(s.name)!,
    ),
  ]);
  return [...stages, ...sip];
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
    return {
      configured: false,
      budgetSec: 0,
      canDrain: false,
      servers: [],
      domains: [],
      kamailio: [],
      clusters: [],
    };
  const [servers, kamailio] = await Promise.all([dnsServerViews(cfg), kamailioVersions(cfg)]);
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
    clusters: cfg.clusters.length > 1 ? cfg.clusters.map((c) => c.name) : [],
  };
}
