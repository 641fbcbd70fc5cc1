import 'server-only';
import type { SipTransport } from './message';
import type { ProbeResult } from './probe-common';
import { probeTcp } from './probe-tcp';
import { probeUdp } from './probe-udp';

export type { ProbeResult } from './probe-common';

export interface ProbeOptionsArgs {
  host: string;
  port: number;
  transport: SipTransport;
  /** Bound for the whole probe: resolve, connect, every retransmission and the reply. */
  timeoutMs?: number;
  /** Local address to bind and advertise in Via/Contact; default is whatever the route picks. */
  localHost?: string;
}

/**
 * Sends one SIP OPTIONS and reports whether the server answered. Never throws for network
 * trouble: the console polls many servers and one bad one must not take the page down.
 */
export async function probeOptions({
  host,
  port,
  transport,
  timeoutMs = 1000,
  localHost,
}: ProbeOptionsArgs): Promise<ProbeResult> {
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, error: 'invalid host or port' };
  }
  const bounded = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 1000;
  const target = { host, port, timeoutMs: bounded, localHost };
  try {
    return await (transport === 'tcp' ? probeTcp(target) : probeUdp(target));
  } catch (error) {
    // Synchronous throws from node (e.g. an invalid localHost) still become a plain result.
    return { ok: false, error: error instanceof Error ? error.message.slice(0, 80) : 'failed' };
  }
}
