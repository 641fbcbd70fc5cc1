import { describe, expect, it } from 'vitest';
import { likePrefix } from '@/lib/db/like-prefix';
import { generatePassword } from '@/lib/generate-password';
import { decodeCursor, encodeCursor } from '@/lib/users/cursor';
import { digestHashes } from '@/lib/users/hash';

describe('digest hashes', () => {
  it('match kamctl: MD5(user:realm:pw) and MD5(user@domain:realm:pw)', () => {
    // from coreutils: echo -n 'alice:example.com:secret123' | md5sum
    expect(digestHashes({ username: 'alice', domain: 'example.com', password: 'secret123' }).ha1).toBe(
      '3ae1e53dc6c111070001398ec4579ddb',
    );
    // The lab seeds its users with this same function (lab/schema.ts).
    expect(digestHashes({ username: 'alice', domain: 'example.com', password: 'pw' }).ha1b).toBe(
      '94e77326454c7347185d0106b03216ff',
    );
  });

  it('generates passwords of the asked length without look-alikes', () => {
    const p = generatePassword(24);
    expect(p).toHaveLength(24);
    expect(p).not.toMatch(/[01lIOij]/);
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
