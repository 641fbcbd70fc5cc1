import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, likePrefix } from '@/lib/users/cursor';
import { digestHashes, generatePassword } from '@/lib/users/hash';
import { ha1 as labHa1 } from '../../lab/schema';

describe('digest hashes', () => {
  it('match kamctl: MD5(user:realm:pw) and MD5(user@domain:realm:pw)', () => {
    // from coreutils: echo -n 'alice:example.com:secret123' | md5sum
    expect(digestHashes({ username: 'alice', domain: 'example.com', password: 'secret123' }).ha1).toBe(
      '3ae1e53dc6c111070001398ec4579ddb',
    );
    expect(digestHashes({ username: 'u', domain: 'd', password: 'p' })).toEqual(labHa1('u', 'd', 'p'));
  });

  it('generates passwords of the asked length without look-alikes', () => {
    const p = generatePassword(24);
    expect(p).toHaveLength(24);
    expect(p).not.toMatch(/[01lIO]/);
    expect(generatePassword()).not.toBe(generatePassword());
  });
});

describe('keyset cursor and LIKE prefix', () => {
  it('round-trips and ignores garbage', () => {
    expect(decodeCursor(encodeCursor({ username: "o'neil", domain: 'd.test' }))).toEqual({
      username: "o'neil",
      domain: 'd.test',
    });
    expect(decodeCursor('!!!')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeUndefined();
  });

  it('escapes LIKE wildcards in the prefix', () => {
    expect(likePrefix('a%b_c\\')).toBe('a\\%b\\_c\\\\%');
  });
});
