import { encodeCursor } from './cursor';
import type { UserPage, UserRow } from './queries';

// One keyset page out of one page per cluster. Each cluster already returned the `limit` rows
// next to the cursor in its own key order, so the first `limit` rows of their merge are the
// page across all clusters. The order imitates the tables' case-insensitive collation.

const key = (r: UserRow) => `${r.username.toUpperCase()}\u0000${r.domain.toUpperCase()}`;
const byKey = (a: UserRow, b: UserRow) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function mergePages(
  pages: UserPage[],
  opts: { after?: string | null; before?: string | null; limit?: number },
): UserPage {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const backwards = !opts.after && !!opts.before;
  const rows = pages.flatMap((p) => p.users).sort(byKey);
  const users = backwards ? rows.slice(-limit) : rows.slice(0, limit);
  const more = rows.length > limit || pages.some((p) => (backwards ? p.prev : p.next) !== null);
  const first = users[0];
  const last = users.at(-1);
  return {
    users,
    next: last && (backwards || more) ? encodeCursor(last) : null,
    prev: first && (opts.after || (backwards && more)) ? encodeCursor(first) : null,
    matching: pages.reduce((n, p) => n + p.matching, 0),
    total: pages.reduce((n, p) => n + p.total, 0),
    node: pages.map((p) => p.node).join(', '),
  };
}
