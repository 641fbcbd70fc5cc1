import { createHash } from 'node:crypto';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** As kamctl stores them: HA1 over user:realm:password, HA1b over user@domain:realm:password. */
export function digestHashes(opts: { username: string; domain: string; password: string }): {
  ha1: string;
  ha1b: string;
} {
  const { username, domain, password } = opts;
  return {
    ha1: md5(`${username}:${domain}:${password}`),
    ha1b: md5(`${username}@${domain}:${domain}:${password}`),
  };
}
