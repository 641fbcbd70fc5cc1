// Shared pieces of the UDP and TCP OPTIONS probes: the result shape and how socket errors
// are worded for the UI (short plain words, never a stack).

import { type SipMessage, serverName } from './message';

export interface ProbeResult {
  /** A final (2xx–6xx) response arrived: the server is alive, whatever it thought of OPTIONS. */
  ok: boolean;
  status?: number;
  reason?: string;
  /** From the first transmission, so a retransmitted UDP probe shows the real wait. */
  rttMs?: number;
  /** Server header, or User-Agent when the server sends none. */
  server?: string;
  /** 'timeout' | 'refused' | 'unreachable' | short plain text */
  error?: string;
  /** The final response itself, for callers that read its headers (the REGISTER probe). */
  message?: SipMessage;
}

/** What to send instead of OPTIONS: the request text for the socket's local address. */
export interface ProbeRequest {
  method: string;
  build: (local: { localHost: string; localPort: number; branch: string }) => string;
}

export interface ProbeTarget {
  host: string;
  port: number;
  timeoutMs: number;
  localHost?: string;
  /** Default: an OPTIONS probe. */
  request?: ProbeRequest;
}

const WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EADDRNOTAVAIL: 'local address not available',
  EACCES: 'permission denied',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'timeout',
};

export function errorWords({ error }: { error: unknown }): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code && WORDS[code]) return WORDS[code];
  if (code) return code.toLowerCase();
  return error instanceof Error ? error.message.slice(0, 80) : 'failed';
}

export function resultFromReply({
  message,
  startedAt,
}: {
  message: SipMessage;
  startedAt: number;
}): ProbeResult {
  return {
    ok: true,
    status: message.statusCode,
    reason: message.reason,
    rttMs: Math.round((performance.now() - startedAt) * 10) / 10,
    server: serverName({ message }),
    message,
  };
}

/** Settles a probe exactly once and runs its cleanup, whichever event wins the race. */
export function once({
  resolve,
  cleanup,
}: {
  resolve: (r: ProbeResult) => void;
  cleanup: () => void;
}): (r: ProbeResult) => void {
  let done = false;
  return (r) => {
    if (done) return;
    done = true;
    try {
      cleanup();
    } catch {
      // A socket that is already closed throws on close(); the result stands regardless.
    }
    resolve(r);
  };
}
