import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list';
import { useLab } from '../helpers/lab';

// A session copies auto_increment_increment/offset when it connects. After the wizard changes
// the globals, the console's pooled sessions must be replaced, or its inserts keep allocating
// keys that collide with the other node's.

describe('recycling the console sessions of a node', () => {
  const lab = useLab({ nodes: 2, fresh: true, sip: false });
  let list: ConnectionList | undefined;

  afterAll(async () => {
    await list?.close();
  });

  it('gives new sessions that see the changed globals', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath);
    const session = () =>
      list!.read((db) =>
        sql<{
          id: number;
          inc: number;
        }>`SELECT CONNECTION_ID() AS id, @@session.auto_increment_increment AS inc`
          .execute(db)
          .then((r) => r.rows[0]!),
      );
    const before = (await session()).value;
    expect(Number(before.inc)).toBe(1);
    await adminQuery(dir, 'd1', 'SET GLOBAL auto_increment_increment = 2');
    try {
      const reused = (await session()).value;
      expect(reused.id).toBe(before.id); // the pool hands back the same, stale session
      expect(Number(reused.inc)).toBe(1);
      list.recycleSessions(['d1']);
      const fresh = (await session()).value;
      expect(fresh.id).not.toBe(before.id);
      expect(Number(fresh.inc)).toBe(2);
    } finally {
      await adminQuery(dir, 'd1', 'SET GLOBAL auto_increment_increment = 1');
    }
  });
});
