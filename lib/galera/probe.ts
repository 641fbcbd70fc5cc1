import 'server-only';
import { createConnection } from 'mysql2';
import type { NodeConfig } from '@/lib/config/schema';
import { describeConnectionError } from '@/lib/db/probe';
import { type GaleraStatus, parseWsrep, WSREP_STATUS_SQL } from './status';

// The wsrep status of one node on its own short-lived connection, like the connection list's
// probe: SHOW STATUS answers even on a node outside the primary component (where table reads
// fail with 1047), so this is how the console tells "up but not writable" from "down".

export type WsrepProbe = { ok: true; status: GaleraStatus | null } | { ok: false; error: string };

export function probeWsrep(config: NodeConfig, timeoutMs: number): Promise<WsrepProbe> {
  return new Promise((resolve) => {
    let settled = false;
    const conn = createConnection({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      connectTimeout: timeoutMs,
    });
    const finish = (r: WsrepProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (r.ok) conn.end(() => undefined);
      else conn.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'no answer (timed out)' }), timeoutMs);
    conn.on('error', (err) => finish({ ok: false, error: describeConnectionError(err) }));
    conn.query({ sql: WSREP_STATUS_SQL, timeout: timeoutMs }, (err, rows: unknown) => {
      if (err) return finish({ ok: false, error: describeConnectionError(err) });
      finish({ ok: true, status: parseWsrep(rows as { Variable_name: string; Value: string }[]) });
    });
  });
}
