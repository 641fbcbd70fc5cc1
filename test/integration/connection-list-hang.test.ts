import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { adminQuery, signal } from '../../lab/index.ts';
import { openList, probeRounds } from '../helpers/console-list';
import { useLab } from '../helpers/lab';
import { until } from '../helpers/poll.ts';

// SIGSTOP: the kernel still accepts TCP connections to d1, the server never answers. No request
// may hang past the bound, and once d1 is known dead no request waits on it.

describe('connection list with a hung master', () => {
  const lab = useLab({ nodes: 2 });
  let list: ConnectionList | undefined;

  afterAll(async () => {
    await list?.close();
  });

  it('bounds every request and stops paying d1’s timeout after detection', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath);
    await adminQuery(
      dir,
      'd1',
      'CREATE TABLE kamailio.sipha_test_hang (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL, KEY (k))',
    );
    const cfg = { query: 3000, connect: 1000 };
    const bound = cfg.query + cfg.connect;

    const results: { k: string; ms: number; node?: string; code?: string }[] = [];
    const write = async (k: string) => {
      const t0 = performance.now();
      try {
        const r = await list!.write({
          run: (db) => sql`INSERT INTO sipha_test_hang (k) VALUES (${k})`.execute(db).then(() => k),
          verify: async (db) => {
            const r = await sql<{
              n: number;
            }>`SELECT COUNT(*) AS n FROM sipha_test_hang WHERE k = ${k}`.execute(db);
            return Number(r.rows[0]?.n) > 0 ? k : undefined;
          },
        });
        results.push({ k, ms: performance.now() - t0, node: r.node });
      } catch (err) {
        results.push({ k, ms: performance.now() - t0, code: (err as { code?: string }).code });
      }
    };

    for (let i = 0; i < 20; i++) await write(`before-${i}`);
    expect(results.every((r) => r.node === 'd1')).toBe(true);

    await signal(dir, 'd1', 'stop');
    try {
      // Writes during detection: each one ends (saved on d2, or failed) within the bound.
      for (let i = 0; i < 30; i++) await write(`during-${i}`);
      const during = results.filter((r) => r.k.startsWith('during-'));
      for (const r of during) expect(r.ms, `${r.k} took ${r.ms} ms`).toBeLessThan(bound);
      expect(list.nodes[0]!.reachable).toBe(false);
      expect(list.active()?.handle.name).toBe('d2');
      expect(list.isFenced('d1')).toBe(true);

      // After detection no request waits on d1: all served by d2, far below d1's timeouts.
      for (let i = 0; i < 30; i++) await write(`after-${i}`);
      const after = results.filter((r) => r.k.startsWith('after-'));
      for (const r of after) {
        expect(r.node).toBe('d2');
        expect(r.ms, `${r.k} took ${r.ms} ms`).toBeLessThan(cfg.connect / 2);
      }
      const onD2 = await adminQuery<{ k: string }>(dir, 'd2', 'SELECT k FROM kamailio.sipha_test_hang');
      const keys = new Set(onD2.map((r) => r.k));
      for (const r of results)
        if (r.node) expect(keys.has(r.k), `${r.k} acknowledged on ${r.node}`).toBe(true);
    } finally {
      await signal(dir, 'd1', 'cont');
    }
  });

  it('never fences the last node that can take writes when it hangs for a moment', async () => {
    const { dir, state } = lab();
    list ??= await openList(state.configPath);
    // d1 fenced, d2 the only node that takes writes.
    await list.setFenced('d1', true, 'test: d2 is the last writer', 'test');
    expect(list.active()?.handle.name).toBe('d2');
    await signal(dir, 'd2', 'stop');
    try {
      await until('d2 seen down', () => list!.nodes[1]!.reachable === false, 5000);
      await probeRounds(list, 'd2', 2); // more probe rounds time out on d2
      await expect(list!.write({ run: (db) => sql`SELECT 1`.execute(db) })).rejects.toMatchObject({
        code: 'unavailable:database',
      });
    } finally {
      await signal(dir, 'd2', 'cont');
    }
    await until('d2 seen up again', () => list!.nodes[1]!.reachable === true, 5000);
    expect(list!.isFenced('d2')).toBe(false);
    expect(list!.active()?.handle.name).toBe('d2');
    const ro = await adminQuery<{ ro: number }>(dir, 'd2', 'SELECT @@global.read_only AS ro');
    expect(Number(ro[0]!.ro)).toBe(0);
  });
});
