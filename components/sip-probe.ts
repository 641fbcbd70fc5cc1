import type { SipProbeStatus, SipStatus } from '@/lib/health/types';

// How a SIP server's OPTIONS probes read, the same on the overview and the health page.

export function sipState(s: SipStatus): { label: string; health: 'up' | 'down' | 'unknown' } {
  if (s.up === null) return { label: 'checking…', health: 'unknown' };
  return s.up ? { label: 'up', health: 'up' } : { label: 'down', health: 'down' };
}

export function probeText(p: SipProbeStatus | null, opts: { long?: boolean } = {}): string {
  if (!p) return 'not configured';
  if (!p.ok) return p.error ?? 'no answer';
  const rtt = p.rttMs?.toFixed(1);
  return opts.long
    ? `${p.status} ${p.reason ?? ''}, ${rtt} ms round trip`
    : `${p.status} ${p.reason ?? ''} · ${rtt} ms`;
}
