import 'server-only';
import { AppError, publicError } from '@/lib/errors';
import { audit } from './log';

// The one audited-mutation path. Server actions (validatedAction), route handlers (withRoute's
// refusals and `ctx.mutate`) and the console's own background writes all call `audited`; a
// job's steps are audited per step by lib/jobs/step.ts. One row per attempt: 'refused' when
// the role or origin check said no (nothing run), else 'ok' or 'failed' with the error's code
// and public message, never SQL.

/**
 * A rejected input as an audit target: printable ASCII kept, anything else escaped as \\u plus four hex digits.
 * The audit table's character set may not hold arbitrary unicode, and control bytes would
 * garble a log line.
 */
export function printable(s: string, max = 200): string {
  return s
    .slice(0, max)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The role or origin check's result: a refusal names the error to answer and the row's detail. */
export type Verdict =
  | { allowed: true }
  | { allowed: false; code: 'forbidden:role' | 'forbidden:origin'; message: string; detail: string };

export const allowed: Verdict = { allowed: true };

/** How a finished run reads in its row. */
export interface Outcome {
  outcome: 'ok' | 'failed';
  node?: string | null;
  detail?: string;
}

export async function audited<T>(opts: {
  /** Who: a console user, `token:NAME` for bearer tokens, or the console itself. */
  actor: string;
  action: string;
  /** Read when the row is written: the target may only be known after parsing. */
  target: () => string;
  /** Refused: one 'refused' row and an AppError (403) thrown; `run` is not called. */
  verdict?: Verdict;
  run: () => Promise<T>;
  /**
   * The row for a result; by default ok, the result's `node`, detail `via`. Null writes no
   * row: the input was rejected before anything was attempted.
   */
  outcome?: (r: T) => Outcome | null;
  /** Where the request came from ('api', 'csv', …), the start of a failure's detail. */
  via?: string;
}): Promise<T> {
  const row = { actor: opts.actor, action: opts.action };
  const target = () => printable(opts.target());
  const verdict = opts.verdict ?? allowed;
  if (!verdict.allowed) {
    await audit({ ...row, target: target(), outcome: 'refused', detail: verdict.detail });
    throw new AppError(verdict.code, verdict.message);
  }
  const via = opts.via ? `${opts.via} ` : '';
  try {
    const r = await opts.run();
    const o = opts.outcome
      ? opts.outcome(r)
      : { outcome: 'ok' as const, node: (r as { node?: string }).node, detail: opts.via };
    if (o)
      await audit({ ...row, target: target(), node: o.node ?? null, outcome: o.outcome, detail: o.detail });
    return r;
  } catch (err) {
    const e = publicError(err);
    await audit({ ...row, target: target(), outcome: 'failed', detail: `${via}${e.code}: ${e.message}` });
    throw err;
  }
}
