import 'server-only';
import { authorization, parseChallenge } from './digest';
import { buildRegister, getHeader, randomToken } from './message';
import type { ProbeResult } from './probe-common';
import { probeUdp } from './probe-udp';

// A synthetic REGISTER through one SIP server: challenge, digest-authenticated REGISTER with a
// short expiry, then the binding removed again. It exercises what OPTIONS does not: auth_db
// reading the subscriber and usrloc writing the location row. Bounded as a whole.

export interface RegisterProbeResult {
  ok: boolean;
  /** Where it ended: the unauthenticated REGISTER, the authenticated one, or the unregister. */
  step: 'challenge' | 'register' | 'unregister';
  status?: number;
  reason?: string;
  /** From the first REGISTER until the answer that decided the result (or the bound). */
  elapsedMs: number;
  /** 'timeout', 'refused', … when no answer decided it. */
  error?: string;
}

export interface RegisterProbeArgs {
  host: string;
  port: number;
  domain: string;
  username: string;
  ha1: string;
  expires?: number;
  timeoutMs?: number;
  localHost?: string;
}

export async function probeRegister(a: RegisterProbeArgs): Promise<RegisterProbeResult> {
  const started = performance.now();
  const deadline = started + (a.timeoutMs ?? 3000);
  const elapsed = () => Math.round(performance.now() - started);
  const dialog = { tag: randomToken(), callId: `${randomToken({ bytes: 12 })}@sipha` };
  let cseq = 0;
  const send = (extra: { authorization?: string; removeAll?: boolean }): Promise<ProbeResult> => {
    const timeoutMs = Math.max(1, deadline - performance.now());
    cseq++;
    const build = (local: { localHost: string; localPort: number; branch: string }) =>
      buildRegister({
        ...local,
        ...dialog,
        ...extra,
        domain: a.domain,
        username: a.username,
        transport: 'udp',
        cseq,
        expires: a.expires ?? 30,
      });
    return probeUdp({
      host: a.host,
      port: a.port,
      timeoutMs,
      localHost: a.localHost,
      request: { method: 'REGISTER', build },
    });
  };
  const answer = (r: ProbeResult, step: RegisterProbeResult['step'], ok: boolean): RegisterProbeResult => ({
    ok,
    step,
    status: r.status,
    reason: r.reason,
    elapsedMs: elapsed(),
    error: r.ok ? undefined : r.error,
  });
  const credentials = (r: ProbeResult, nc: number) => {
    const header = r.message && getHeader({ message: r.message, name: 'www-authenticate' });
    const challenge = parseChallenge(header);
    if (!challenge) return undefined;
    const uri = `sip:${a.domain}`;
    return authorization({ challenge, username: a.username, ha1: a.ha1, method: 'REGISTER', uri, nc });
  };

  const first = await send({});
  if (!first.ok || first.status !== 401) return answer(first, 'challenge', first.status === 200);
  const auth = credentials(first, 1);
  if (!auth) return { ...answer(first, 'challenge', false), error: 'no digest challenge' };
  const registered = await send({ authorization: auth });
  if (registered.status !== 200) return answer(registered, 'register', false);
  const result = answer(registered, 'register', true);
  // Remove the binding; a stale nonce gets one more challenge. Its outcome does not change
  // whether the server could register, and the short expiry cleans up if this fails.
  const gone = await send({ authorization: credentials(first, 2), removeAll: true });
  if (gone.status === 401) await send({ authorization: credentials(gone, 1), removeAll: true });
  return result;
}
