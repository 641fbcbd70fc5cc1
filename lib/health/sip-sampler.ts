import 'server-only';
import { getConfig } from '@/lib/config/load';
import type { SipServerConfig } from '@/lib/config/schema';
import { every } from '@/lib/every';
import { probeOptions } from '@/lib/sip/options';
import type { SipProbeStatus, SipStatus } from './types';

// SIP OPTIONS probes run in the background (every second, all servers in parallel, each bounded
// to 1 s), so a page or a poller only ever reads the last result and never waits on a hung
// SIP server.

const g = globalThis as unknown as { __siphaSip?: Sampler };

class Sampler {
  private results = new Map<string, SipStatus>();

  constructor(private readonly servers: SipServerConfig[]) {
    for (const s of servers) this.results.set(s.name, blank(s));
    every(1000, () => this.round());
  }

  snapshot(servers: SipServerConfig[]): SipStatus[] {
    return servers.map((s) => this.results.get(s.name) ?? blank(s));
  }

  private async round() {
    await Promise.all(this.servers.map(async (s) => this.results.set(s.name, await probeServer(s))));
  }
}

function blank(s: SipServerConfig): SipStatus {
  return {
    name: s.name,
    host: s.host,
    node: s.node,
    serverId: s.serverId,
    udpPort: s.udpPort,
    tcpPort: s.tcpPort,
    udp: null,
    tcp: null,
    up: null,
    checkedAt: null,
  };
}

async function probe(
  s: SipServerConfig,
  transport: 'udp' | 'tcp',
  port?: number,
): Promise<SipProbeStatus | null> {
  if (!port) return null;
  const r = await probeOptions({ host: s.host, port, transport, timeoutMs: 1000 });
  return { ok: r.ok, status: r.status, reason: r.reason, rttMs: r.rttMs, error: r.error };
}

export async function probeServer(s: SipServerConfig): Promise<SipStatus> {
  const [udp, tcp] = await Promise.all([probe(s, 'udp', s.udpPort), probe(s, 'tcp', s.tcpPort)]);
  const up = [udp, tcp].some((r) => r?.ok === true);
  return { ...blank(s), udp, tcp, up, checkedAt: new Date().toISOString() };
}

/** The last OPTIONS results of `servers`; one sampler probes every configured cluster's servers. */
export function sipSnapshot(servers: SipServerConfig[]): SipStatus[] {
  g.__siphaSip ??= new Sampler(getConfig().clusters.flatMap((c) => c.sipServers));
  return g.__siphaSip.snapshot(servers);
}
