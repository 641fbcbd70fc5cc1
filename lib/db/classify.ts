// Which errors mean "this node is unreachable" (move down the connection list) and which are
// the query's own fault (give back to the caller unchanged). The paper's rule: only a failure to
// reach D1 may send writes to D2, never a duplicate key or a bad statement.

/**
 * Socket errors that say the node cannot be reached at all (refused, reset, no route, no name),
 * as opposed to a timeout. The failure detector's probe worker (./detector/probe-worker.js)
 * counts only these as hard evidence: a timeout there is silence, weighed by its own rules.
 */
export const HARD_CONNECTION_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
];

const CONNECTION_CODES = new Set([
  ...HARD_CONNECTION_CODES,
  'ETIMEDOUT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN', // 1053
  'ER_CONNECTION_KILLED', // 1927, MariaDB: the server killed our connection while shutting down
  'CR_SERVER_GONE_ERROR', // 2006
  'CR_SERVER_LOST', // 2013
  'SIPHA_NODE_DOWN',
  'SIPHA_QUERY_TIMEOUT',
  'SIPHA_PROBE_TIMEOUT',
]);

const CONNECTION_ERRNOS = new Set([1053, 1927, 2002, 2003, 2006, 2013, 2055]);

/** errno 1290: "The MariaDB server is running with the --read-only option". */
export const ER_READ_ONLY = 1290;

export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function errorErrno(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'errno' in err && typeof err.errno === 'number') return err.errno;
  return undefined;
}

export function isConnectionError(err: unknown): boolean {
  const code = errorCode(err);
  if (code && CONNECTION_CODES.has(code)) return true;
  const errno = errorErrno(err);
  if (errno !== undefined && CONNECTION_ERRNOS.has(errno)) return true;
  // mysql2 reports a closed pool and some socket states only in the message.
  const message = err instanceof Error ? err.message : '';
  return /Pool is closed|Connection lost|Can't add new command when connection is in closed state/i.test(
    message,
  );
}

const SERVER_SAYS_GONE = new Set([1053, 1927]); // ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED
const SOCKET_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE']);

/**
 * An open session's socket closed under a statement with no word from the server: its process
 * died (the kernel closed the socket). A subset of the connection errors: not a server that
 * reports its own shutdown or killed the session, not a timeout, not a refused connect.
 */
export function isLostSession(err: unknown): boolean {
  const errno = errorErrno(err);
  if (errno !== undefined && SERVER_SAYS_GONE.has(errno)) return false;
  const code = errorCode(err);
  if (code && SOCKET_LOST.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection lost|closed state/i.test(message);
}

/** A statement refused before it was sent: the prober has marked the node down. */
export class NodeDownError extends Error {
  readonly code = 'SIPHA_NODE_DOWN';
  constructor(readonly node: string) {
    super(`node ${node} is marked down`);
  }
}

/** True when the error happened before the statement could have reached the server. */
export function isBeforeSend(err: unknown): boolean {
  const code = errorCode(err);
  return (
    code === 'ECONNREFUSED' || code === 'SIPHA_NODE_DOWN' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH'
  );
}
