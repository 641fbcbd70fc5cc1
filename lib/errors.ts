// One error type for everything the console reports. The code decides the HTTP status and
// whether the message may be shown; SQL text, stacks and hostnames stay in the server log.

export type ErrorCode =
  | 'bad_request:input'
  | 'unauthorized:session'
  | 'forbidden:role'
  | 'forbidden:origin'
  | 'not_found:user'
  | 'not_found:resource'
  | 'conflict:user'
  | 'conflict:state'
  | 'rate_limited:login'
  | 'unavailable:database'
  | 'unknown_outcome:database'
  | 'failed:database'
  | 'failed:internal';

const status: Record<ErrorCode, number> = {
  'bad_request:input': 400,
  'unauthorized:session': 401,
  'forbidden:role': 403,
  'forbidden:origin': 403,
  'not_found:user': 404,
  'not_found:resource': 404,
  'conflict:user': 409,
  'conflict:state': 409,
  'rate_limited:login': 429,
  'unavailable:database': 503,
  'unknown_outcome:database': 503,
  'failed:database': 500,
  'failed:internal': 500,
};

// Next bundles page and route handler modules separately, so this file can be loaded twice in
// one process and an AppError made by one copy fails `instanceof` against the other. A
// registry-wide symbol brands every instance and `instanceof` checks the brand, not the class.
const BRAND = Symbol.for('sipha.AppError');

export class AppError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    // A subclass (StepFailure, TakenOverError) answers by its own prototype chain, not the brand.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked of.
    if (this !== AppError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly fields?: Record<string, string[]>;
  /** The original error, logged on the server and never sent to a client. */
  readonly cause?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: Record<string, string[]>; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = opts.fields;
    this.cause = opts.cause;
  }

  get status(): number {
    return status[this.code];
  }
}

/** What a browser or API client may see of any error. */
export function publicError(err: unknown): {
  code: ErrorCode;
  message: string;
  status: number;
  fields?: Record<string, string[]>;
} {
  if (err instanceof AppError) {
    return { code: err.code, message: err.message, status: err.status, fields: err.fields };
  }
  logError('unexpected error', err);
  return {
    code: 'failed:internal',
    message: 'Something went wrong on the server; it has been logged.',
    status: 500,
  };
}

/**
 * What the server log may hold of an error: name, code, message and stack of it and its causes,
 * never mysql2's `sql` (the statement with its values filled in: passwords, HA1 hashes).
 */
export function redactError(err: unknown, depth = 0): unknown {
  if (typeof err !== 'object' || err === null) return err;
  const e = err as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['name', 'code', 'errno', 'sqlState', 'message', 'digest', 'stack'])
    if (e[k] !== undefined) out[k] = redactSql(e[k]);
  if (Object.keys(out).length === 0) out.value = redactSql(String(err).slice(0, 500));
  if (e.cause !== undefined && depth < 4) out.cause = redactError(e.cause, depth + 1);
  if (e.original !== undefined && depth < 4) out.original = redactError(e.original, depth + 1);
  return out;
}

const redactSql = (v: unknown) =>
  typeof v === 'string'
    ? v
        .replace(/(IDENTIFIED BY|PASSWORD)\s*(=\s*)?'(?:[^'\\]|\\.|'')*'/gi, "$1 $2'***'")
        .replace(/near '[\s\S]*' at line/g, "near '…' at line")
    : v;

export function logError(context: string, err: unknown): void {
  console.error(`[sipha] ${context}`, redactError(err));
}
