import 'server-only';
import { type KamailioStats, mapShm, mapTm, mapUptime, mapVersion } from './stats';

// Kamailio JSON-RPC over HTTP (jsonrpcs + xhttp). Errors are reduced to a short message and a
// kind so the UI can show "timeout" or "Method Not Found" without leaking a stack.

export type RpcErrorKind = 'timeout' | 'network' | 'http' | 'rpc' | 'bad-response';

export class RpcError extends Error {
  readonly kind: RpcErrorKind;
  /** JSON-RPC error code or HTTP status, when there was one. */
  readonly code?: number;

  constructor({ kind, message, code }: { kind: RpcErrorKind; message: string; code?: number }) {
    super(message);
    this.name = 'RpcError';
    this.kind = kind;
    this.code = code;
  }
}

export interface KamailioRpcArgs {
  url: string;
  method: string;
  params?: unknown[] | Record<string, unknown>;
  /** Covers connect, headers and body: a peer that stalls mid-body is still cut off. */
  timeoutMs?: number;
}

let nextId = 1;

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

export async function kamailioRpc<T = unknown>({
  url,
  method,
  params,
  timeoutMs = 1000,
}: KamailioRpcArgs): Promise<T> {
  const id = nextId++;
  const payload = { jsonrpc: '2.0', method, id, ...(params === undefined ? {} : { params }) };
  let text: string;
  let status: number;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
      cache: 'no-store',
    });
    status = res.status;
    text = await res.text();
  } catch (error) {
    const name = (error as Error | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new RpcError({ kind: 'timeout', message: 'timeout' });
    }
    // undici hides the socket error in `cause`; some causes (e.g. "bad port") carry no code.
    const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
    const words =
      (cause?.code && NETWORK_WORDS[cause.code]) ??
      cause?.code?.toLowerCase() ??
      cause?.message?.slice(0, 80) ??
      'network error';
    throw new RpcError({ kind: 'network', message: words });
  }

  let body: { result?: unknown; error?: { code?: number; message?: string } } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  // jsonrpcs answers RPC errors with HTTP 500 *and* a JSON error body; prefer the body's words.
  if (body && typeof body === 'object' && body.error) {
    const code = typeof body.error.code === 'number' ? body.error.code : undefined;
    const message = String(body.error.message ?? 'rpc error').slice(0, 120);
    throw new RpcError({ kind: 'rpc', message, code });
  }
  if (status < 200 || status > 299) {
    throw new RpcError({ kind: 'http', message: `HTTP ${status}`, code: status });
  }
  if (!body || typeof body !== 'object' || !('result' in body)) {
    throw new RpcError({ kind: 'bad-response', message: 'not a JSON-RPC reply' });
  }
  return body.result as T;
}

export type { KamailioStats, ShmSummary, TmSummary } from './stats';

const STAT_CALLS = [
  ['core.version', mapVersion],
  ['core.uptime', mapUptime],
  ['core.shmmem', mapShm],
  ['tm.stats', mapTm],
] as const;

/**
 * Health summary of one Kamailio. The four calls run in parallel, each with its own timeout,
 * and a failed one only blanks its own field: a proxy without tm still shows memory and uptime.
 */
export async function kamailioStats({
  url,
  timeoutMs = 1000,
}: {
  url: string;
  timeoutMs?: number;
}): Promise<KamailioStats> {
  const settled = await Promise.allSettled(
    STAT_CALLS.map(([method]) => kamailioRpc({ url, method, timeoutMs })),
  );
  const errors: string[] = [];
  const mapped = settled.map((s, i) => {
    const [method, map] = STAT_CALLS[i]!;
    if (s.status === 'rejected') {
      const reason = s.reason instanceof RpcError ? s.reason.message : 'failed';
      errors.push(`${method}: ${reason}`);
      return null;
    }
    const value = map({ raw: s.value });
    if (value === null) errors.push(`${method}: unexpected reply`);
    return value;
  });
  return {
    version: mapped[0] as KamailioStats['version'],
    uptimeSeconds: mapped[1] as KamailioStats['uptimeSeconds'],
    shm: mapped[2] as KamailioStats['shm'],
    tm: mapped[3] as KamailioStats['tm'],
    errors,
  };
}
