import { redactError } from '@/lib/errors';

// Next itself logs errors it catches (a page that throws, a failed server action) with every
// property, mysql2's `sql` included: the statement with its values, which can be a password or
// an HA1 hash. Every error that reaches the console's log goes through one redaction.
export function register(): void {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  for (const level of ['error', 'warn'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) =>
      original(...args.map((a) => (a instanceof Error || hasSql(a) ? redactError(a) : a)));
  }
}

const hasSql = (a: unknown) => typeof a === 'object' && a !== null && 'sql' in a;
