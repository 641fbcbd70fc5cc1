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
    // Kamailio's tables are latin1: a key outside it was never issued and cannot be compared.
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      v.every((x) => typeof x === 'string' && !/[\u0100-\uffff]/.test(x))
    )
      return { username: v[0], domain: v[1] };
  } catch {
    // fall through
  }
  return undefined;
}
