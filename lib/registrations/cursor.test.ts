import { Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { likePrefix } from '@/lib/db/like-prefix';
import type { DB } from '@/lib/db/schema';
import { afterCursor, decodeCursor, encodeCursor, parseAorPrefix } from './cursor';

// A Kysely that only compiles (no driver), to check the SQL the keyset condition produces.
const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => ({
      init: async () => {},
      acquireConnection: async () => {
        throw new Error('no db');
      },
      beginTransaction: async () => {},
      commitTransaction: async () => {},
      rollbackTransaction: async () => {},
      releaseConnection: async () => {},
      destroy: async () => {},
    }),
    createIntrospector: (k) => new MysqlIntrospector(k),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
});

describe('keyset cursor', () => {
  it('round-trips, including a NULL domain', () => {
    const c = { username: 'user1042', domain: null, contact: 'sip:user1042@10.0.0.1:5060', id: 77 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it('rejects malformed cursors instead of throwing', () => {
    for (const bad of [
      '',
      'not-base64!',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('["a",5,"c",1]').toString('base64url'),
    ])
      expect(decodeCursor(bad)).toBeUndefined();
  });

  it('compiles to ORs of equalities over (username, domain, contact, id), never OFFSET', () => {
    const c = { username: 'u', domain: 'lab', contact: 'sip:x', id: 9 };
    const q = db
      .selectFrom('location')
      .selectAll()
      .where((eb) => afterCursor(eb, c))
      .orderBy('username')
      .orderBy('domain')
      .orderBy('contact')
      .orderBy('id')
      .limit(51)
      .compile();
    expect(q.sql).toContain('`username` > ?');
    expect(q.sql).toContain('`domain` > ?');
    expect(q.sql).toContain('`id` > ?');
    expect(q.sql).not.toMatch(/offset/i);
    expect(q.parameters).toEqual(['u', 'u', 'lab', 'lab', 'sip:x', 'sip:x', 9, 51]);
  });

  it('treats "after a NULL domain" as any non-NULL domain', () => {
    const q = db
      .selectFrom('location')
      .selectAll()
      .where((eb) => afterCursor(eb, { username: 'u', domain: null, contact: 'c', id: 1 }))
      .compile();
    expect(q.sql).toContain('`domain` is not null');
  });
});

describe('AOR prefix', () => {
  it('splits user and domain prefix and escapes LIKE wildcards', () => {
    expect(parseAorPrefix(' sip:user10 ')).toEqual({ userPrefix: 'user10' });
    expect(parseAorPrefix('user10@lab.si')).toEqual({ user: 'user10', domainPrefix: 'lab.si' });
    expect(parseAorPrefix('')).toEqual({});
    expect(likePrefix('a_b%c')).toBe('a\\_b\\%c%');
  });
});
