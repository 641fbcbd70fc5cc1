import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { DB } from '@/lib/db/schema';

// Keyset pagination over Kamailio's own index account_contact_idx (username, domain, contact),
// with the primary key id appended (InnoDB keeps it in every secondary index), so every page
// is an index range read of LIMIT rows, however deep the page is. No OFFSET anywhere.

export interface Cursor {
  username: string;
  domain: string | null;
  contact: string;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.username, c.domain, c.contact, c.id])).toString('base64url');
}

/** undefined for a missing or malformed cursor: the caller starts from the first page. */
export function decodeCursor(s: string | null | undefined): Cursor | undefined {
  if (!s) return undefined;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 4) return undefined;
    const [username, domain, contact, id] = v;
    if (typeof username !== 'string' || typeof contact !== 'string' || !Number.isInteger(id))
      return undefined;
    if (domain !== null && typeof domain !== 'string') return undefined;
    return { username, domain, contact, id };
  } catch {
    return undefined;
  }
}

type EB = ExpressionBuilder<DB, 'location'>;

/**
 * (username, domain, contact, id) > cursor, spelt out as ORs of equalities so the range
 * optimiser reads it as one index range. domain may be NULL (Kamailio without use_domain);
 * NULL sorts first in MySQL/MariaDB, so "after NULL" is "any non-NULL domain".
 */
export function afterCursor(eb: EB, c: Cursor): ExpressionWrapper<DB, 'location', SqlBool> {
  const rest = eb.or([
    eb('contact', '>', c.contact),
    eb.and([eb('contact', '=', c.contact), eb('id', '>', c.id)]),
  ]);
  const domainAfter =
    c.domain === null
      ? eb.or([eb('domain', 'is not', null), eb.and([eb('domain', 'is', null), rest])])
      : eb.or([eb('domain', '>', c.domain), eb.and([eb('domain', '=', c.domain), rest])]);
  return eb.or([eb('username', '>', c.username), eb.and([eb('username', '=', c.username), domainAfter])]);
}

/** "alice@exa" → user alice, domain prefix exa; "ali" → user prefix ali. */
export function parseAorPrefix(q: string): { userPrefix?: string; user?: string; domainPrefix?: string } {
  const s = q.trim().replace(/^sips?:/i, '');
  if (!s) return {};
  const at = s.indexOf('@');
  if (at < 0) return { userPrefix: s };
  return { user: s.slice(0, at), domainPrefix: s.slice(at + 1) };
}
