import 'server-only';
import { errorCode, errorErrno } from './classify';

// What a probe found, and connection errors in plain words. The probes themselves run in the
// detector's worker thread (./detector/), on fresh connections outside the pool, so a full or
// hung pool never hides the truth and the console's own stalls never fake a timeout.

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
