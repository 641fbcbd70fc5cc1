import { createHash, randomBytes } from 'node:crypto';

// RFC 2617 / RFC 3261 §22.4 digest credentials from a challenge, with the HA1 the console
// stores (lib/users/hash.ts), so the probe needs the same inputs as Kamailio's auth_db.

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

export interface Challenge {
  realm: string;
  nonce: string;
  opaque?: string;
  qop?: string;
  algorithm?: string;
}

/** Parses `Digest realm="…", nonce="…", qop="auth"`; null when it is not a digest challenge. */
export function parseChallenge(header: string | undefined): Challenge | null {
  if (!header || !/^\s*Digest\s/i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*Digest\s+/i, '').matchAll(/([a-z-]+)\s*=\s*(?:"([^"]*)"|([^,\s]+))/gi))
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  if (!params.realm || !params.nonce) return null;
  return {
    realm: params.realm,
    nonce: params.nonce,
    opaque: params.opaque,
    qop: params.qop,
    algorithm: params.algorithm,
  };
}

/** The Authorization header value answering `c` for `method uri`, given HA1. */
export function authorization(opts: {
  challenge: Challenge;
  username: string;
  ha1: string;
  method: string;
  uri: string;
  nc?: number;
}): string {
  const { challenge: c, username, ha1, method, uri } = opts;
  const ha2 = md5(`${method}:${uri}`);
  const qopAuth = c.qop?.split(',').some((q) => q.trim() === 'auth');
  const parts = [`username="${username}"`, `realm="${c.realm}"`, `nonce="${c.nonce}"`, `uri="${uri}"`];
  if (qopAuth) {
    const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    parts.push(`response="${response}"`, 'qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${c.nonce}:${ha2}`)}"`);
  }
  if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
  parts.push('algorithm=MD5');
  return `Digest ${parts.join(', ')}`;
}
