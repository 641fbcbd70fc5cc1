import { randomInt } from 'node:crypto';

// The one password generator: console accounts, SIP users and replication accounts. Letters and
// digits only (nothing ever needs escaping in SQL or a shell) and no look-alikes (0/O, 1/l/I, i/j)
// so a password read off the screen is typed right the first time. 55 symbols: ~5.8 bits each.

const ALPHABET = 'abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
