import 'server-only';
import { getConfig } from '@/lib/config/load';
import type { SipServerConfig } from '@/lib/config/schema';
import { probeRegister } from '@/lib/sip/register-probe';
import { probeAccount, probeUser } from './probe-account';
import type { RegisterProbeStatus } from './types';

// The synthetic REGISTER through every SIP server, every 5 s in the background, each bounded
// to 3 s, so pages only read the last result. Counted per outcome for /metrics.

export const REGISTER_TIMEOUT_MS = 3000;
const EVERY_MS = 5000;

class RegisterSampler {
  private results = new Map<string, RegisterProbeStatus>();
  readonly counts = new Map<string, { ok: number; failed: number }>();
  private running = false;
  private turn = 0;

  constructor(
    private readonly servers: SipServerConfig[],
    private readonly domains: string[],
  ) {
    void this.round();
    setInterval(() => void this.round(), EVERY_MS).unref();
  }

  snapshot(): Map<string, RegisterProbeStatus> {
    return this.results;
  }

  private async round() {
    if (this.running) return;
    this.running = true;
    try {
      // One domain a round, in turn; each server has its own probe account there.
      const domain = this.domains[this.turn++ % this.domains.length]!;
      await Promise.all(this.servers.map((s) => this.probe(s, domain)));
    } finally {
      this.running = false;
    }
  }

  private async probe(s: SipServerConfig, domain: string) {
    if (!s.udpPort) return;
    // No account yet (no node takes writes): nothing to probe with; the next round retries.
    const ha1 = await probeAccount(s.name, domain).catch(() => null);
    if (!ha1) return;
    const r = await probeRegister({
      host: s.host,
      port: s.udpPort,
      domain,
      username: probeUser(s.name),
      ha1,
      expires: 30,
      timeoutMs: REGISTER_TIMEOUT_MS,
    });
    this.results.set(s.name, { ...r, domain, checkedAt: new Date().toISOString() });
    const c = this.counts.get(s.name) ?? { ok: 0, failed: 0 };
    if (r.ok) c.ok++;
    else c.failed++;
    this.counts.set(s.name, c);
  }
}

const g = globalThis as unknown as { __siphaRegister?: RegisterSampler };

/** Starts the sampler on first use: every configured cluster's SIP servers, every domain. */
export function registerSampler(): RegisterSampler {
  const cfg = getConfig();
  g.__siphaRegister ??= new RegisterSampler(
    cfg.clusters.flatMap((c) => c.sipServers),
    cfg.domains,
  );
  return g.__siphaRegister;
}
