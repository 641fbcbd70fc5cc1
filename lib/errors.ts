// One error type for everything the console reports. The code decides the HTTP status and
// whether the message may be shown; SQL text, stacks and hostnames stay in the server log.

export type ErrorCode =
  | 'bad_request:input'
  | 'unauthorized:session'
  | 'forbidden:role'
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

export class AppError extends Error {
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
  console.error('[sipha] unexpected error', err);
  return {
    code: 'failed:internal',
    message: 'Something went wrong on the server; it has been logged.',
    status: 500,
  };
}
