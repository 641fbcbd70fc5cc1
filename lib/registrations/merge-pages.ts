import { encodeCursor } from './cursor';
import type { Registration, RegistrationPage } from './types';

// One keyset page out of one page per cluster that answered. Each cluster returned the `limit`
// rows next to the cursor in its own key order, so the first `limit` rows of their merge are the
// page over those clusters. The cursor is a key, not a position per cluster: a cluster that was
// missing from one page and answers again at the next is read from the same key on, like the rest.

export const PAGE_SIZE = 50;

// The tables' case-insensitive collation, imitated: NULL domains first, then by upper case.
const collate = (r: Registration) => [
  r.username.toUpperCase(),
  r.domain === null ? '' : `\u0001${r.domain.toUpperCase()}`,
  r.contact.toUpperCase(),
];

export function byKey(a: Registration, b: Registration): number {
  const x = collate(a);
  const y = collate(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return a.id - b.id;
}

export function mergePages(pages: RegistrationPage[], requested?: number): RegistrationPage {
  // One cluster's page is already in its table's own order, with its own cursor.
  if (pages.length === 1) return pages[0]!;
  const limit = Math.min(Math.max(requested ?? PAGE_SIZE, 1), 500);
  const rows = pages.flatMap((p) => p.rows).sort(byKey);
  const page = rows.slice(0, limit);
  const more = rows.length > limit || pages.some((p) => p.next !== null);
  const last = page.at(-1);
  return {
    rows: page,
    next:
      last && more
        ? encodeCursor({ username: last.username, domain: last.domain, contact: last.contact, id: last.id })
        : null,
    node: pages.map((p) => p.node).join(', '),
    at: new Date().toISOString(),
  };
}
