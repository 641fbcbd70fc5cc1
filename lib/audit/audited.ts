import 'server-only';
import { publicError } from '@/lib/errors';
import { audit } from './log';

// The one audited-mutation path of the route handlers (server actions have theirs in
// validatedAction): run the mutation, then one audit row whatever the outcome.

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

export async function audited<T>(opts: {
  /** Who: a console user or `token:NAME` for bearer tokens. */
  actor: string;
  action: string;
  /** Read when the audit row is written: the target may only be known after parsing. */
  target: () => string;
  run: () => Promise<T>;
  /** The node that took the write; by default the result's `node`. */
  node?: (r: T) => string | null;
  /** Where the request came from ('api', 'csv', …), the start of every row's detail. */
  via?: string;
  detail?: (r: T) => string;
}): Promise<T> {
  const via = opts.via ?? 'api';
  try {
    const r = await opts.run();
    await audit({
      actor: opts.actor,
      action: opts.action,
      target: printable(opts.target()),
      node: opts.node ? opts.node(r) : ((r as { node?: string }).node ?? null),
      outcome: 'ok',
      detail: opts.detail?.(r) ?? via,
    });
    return r;
  } catch (err) {
    const e = publicError(err);
    await audit({
      actor: opts.actor,
      action: opts.action,
      target: printable(opts.target()),
      outcome: 'failed',
      detail: `${via} ${e.code}: ${e.message}`,
    });
    throw err;
  }
}
