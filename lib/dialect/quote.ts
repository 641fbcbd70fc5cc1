// Quoting and validation for the values that MySQL/MariaDB only accept as literals
// (CHANGE MASTER / CHANGE REPLICATION SOURCE and CREATE USER cannot take placeholders on
// every version), plus masking so the UI can show a statement without its secrets.

export interface Statement {
  /** What is sent to the server. */
  sql: string;
  /** What the UI shows and the audit log stores: secrets replaced by '********'. */
  display: string;
  /** Values for `?` placeholders, when the statement has any. */
  params?: readonly (string | number)[];
}

export const MASK = "'********'";

/** A statement without secrets: display is the SQL itself. */
export function plain(sql: string, params?: readonly (string | number)[]): Statement {
  return params ? { sql, display: sql, params } : { sql, display: sql };
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  // Doubling (not \') keeps the literal closed correctly even under NO_BACKSLASH_ESCAPES,
  // so a hostile value can never end the string early whatever the sql_mode is.
  "'": "''",
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
};

/** Quotes a database, table or column name as a backquoted identifier. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * Quotes a value as a single-quoted SQL string literal. The backslash escapes assume the
 * session does not use NO_BACKSLASH_ESCAPES (sipha's connections never set it); if it did,
 * such a value would be stored with extra backslashes, but it still could not inject SQL.
 */
export function quoteString(value: string): string {
  return `'${Array.from(value, (c) => ESCAPES[c] ?? c).join('')}'`;
}

// Host names, IPv4 and IPv6 addresses; nothing that needs quoting beyond the quotes.
const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;
// Account host part may also use the % and _ wildcards and an IPv4 netmask.
const ACCOUNT_HOST_RE = /^[A-Za-z0-9.%_:-]+(?:\/[0-9.]+)?$/;
const USER_RE = /^[A-Za-z0-9_.-]{1,32}$/;

export function validateHost(host: string): string {
  // MASTER_HOST is limited to 255 characters (RFC 1035 names are shorter still).
  if (host.length === 0 || host.length > 253 || !HOST_RE.test(host)) {
    throw new Error(`Refusing suspicious replication host ${JSON.stringify(host)}`);
  }
  return host.replace(/^\[(.*)\]$/, '$1');
}

export function validateAccountHost(host: string): string {
  if (host.length === 0 || host.length > 255 || !ACCOUNT_HOST_RE.test(host)) {
    throw new Error(`Refusing suspicious account host ${JSON.stringify(host)}`);
  }
  return host;
}

export function validateUser(user: string): string {
  // 32 characters is MySQL's limit (MariaDB allows 80); keep the stricter one for both.
  if (!USER_RE.test(user)) throw new Error(`Refusing suspicious user name ${JSON.stringify(user)}`);
  return user;
}

export function validatePort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid port ${port}`);
  return port;
}

export function account(user: string, host: string): string {
  return `${quoteString(validateUser(user))}@${quoteString(validateAccountHost(host))}`;
}

/**
 * Replaces every occurrence of the quoted secret by the mask. Used to build `display`; also
 * exported for callers that assemble SQL themselves.
 */
export function maskSecrets(sql: string, secrets: readonly string[]): string {
  let out = sql;
  for (const secret of secrets) {
    if (secret === '') continue;
    out = out.split(quoteString(secret)).join(MASK);
  }
  return out;
}
