import 'server-only';
import type { NodeConfig } from '@/lib/config/schema';
import { describeConnectionError } from '@/lib/db/probe';
import { withSession } from '@/lib/db/sessions';
import { AppError } from '@/lib/errors';
import { type GaleraStatus, parseWsrep, WSREP_STATUS_SQL } from './status';

// The wsrep status of one node on its own short-lived session (lib/db/sessions.ts), like the
// failure detector's probes: SHOW STATUS answers even on a node outside the primary component
// (where table reads fail with 1047), so this is how the console tells "up but not writable"
// from "down".

export type WsrepProbe = { ok: true; status: GaleraStatus | null } | { ok: false; error: string };

export async function probeWsrep(config: NodeConfig, timeoutMs: number): Promise<WsrepProbe> {
  let timer: NodeJS.Timeout | undefined;
  // Connecting and the statement are each bounded; the whole probe is bounded once more.
  const late = new Promise<WsrepProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: 'no answer (timed out)' }), timeoutMs);
  });
  const probe = withSession(
    config,
    { connectTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs, database: false },
    async (s) => parseWsrep(await s.rows<{ Variable_name: string; Value: string }>(WSREP_STATUS_SQL)),
  ).then(
    (status): WsrepProbe => ({ ok: true, status }),
    (err): WsrepProbe => ({
      ok: false,
      error: describeConnectionError(err instanceof AppError && err.cause !== undefined ? err.cause : err),
    }),
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
