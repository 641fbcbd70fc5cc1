// Keyset pagination cursors: the (username, domain) of a page's edge row, opaque to clients.

export interface UserKey {
  username: string;
  domain: string;
}

export function encodeCursor(key: UserKey): string {
  return Buffer.from(JSON.stringify([key.username, key.domain]), 'utf8').toString('base64url');
}

/** A cursor that does not decode is treated as "from the start", never as an error. */
export function decodeCursor(cursor: string | null | undefined): UserKey | undefined {
  if (!cursor || cursor.length > 400) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { username: v[0], domain: v[1] };
  } catch {
    // fall through
  }
  return undefined;
}
