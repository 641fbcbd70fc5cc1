import 'server-only';
import { createConnection } from 'mysql2';
import type { NodeConfig } from '@/lib/config/schema';
import { errorCode, errorErrno } from './classify';

// A health probe on its own connection, outside the pool, so a full or hung pool never hides
// the truth. The whole probe (connect, handshake, query) is bounded by one timer.

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  version?: string;
  readOnly?: boolean;
  /** Plain words for the UI: never the server's error text. */
  error?: string;
  errno?: number;
}

export function describeConnectionError(err: unknown): string {
  const code = errorCode(err);
  const errno = errorErrno(err);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ETIMEDOUT' || code === 'PROTOCOL_SEQUENCE_TIMEOUT' || code === 'SIPHA_PROBE_TIMEOUT')
    return 'no answer (timed out)';
  if (code === 'ECONNRESET' || code === 'PROTOCOL_CONNECTION_LOST') return 'connection lost';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (errno === 1045) return 'access denied (check user and password)';
  if (errno === 1049) return 'database does not exist';
  if (errno === 1053 || errno === 1927) return 'server shutting down';
  return 'unreachable';
}

export function probeNode(config: NodeConfig, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const conn = createConnection({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: config.database,
      connectTimeout: timeoutMs,
    });
    const finish = (r: Omit<ProbeResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // A clean QUIT for a healthy server (no "aborted connection" noise in its log).
      if (r.ok) conn.end(() => undefined);
      else conn.destroy();
      resolve({ ...r, latencyMs: Math.round((performance.now() - started) * 10) / 10 });
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'no answer (timed out)' }), timeoutMs);
    conn.on('error', (err) =>
      finish({ ok: false, error: describeConnectionError(err), errno: errorErrno(err) }),
    );
    conn.query(
      { sql: 'SELECT VERSION() AS version, @@global.read_only AS ro', timeout: timeoutMs },
      (err, rows: unknown) => {
        if (err) return finish({ ok: false, error: describeConnectionError(err), errno: errorErrno(err) });
        const row = (rows as { version: string; ro: number }[])[0];
        finish({ ok: true, version: row?.version, readOnly: Number(row?.ro) === 1 });
      },
    );
  });
}
