import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { adminQuery, heal, partition } from '../../lab/index.ts';
import { openList } from '../helpers/console-list';
import { useLab } from '../helpers/lab';
import { until } from '../helpers/poll';

// Real network partitions (nftables in the lab's namespaces; this test process is the console,
// on the bridge). Cut off from d1 while d2 still hears from it, the console must not fail over;
// with d1 cut from everyone it must, and fence d1 once it is reachable again. The SIP servers
// (co-located: p1 uses d1 first) are witnesses too.

describe('network partitions', () => {
  const lab = useLab({ nodes: 2, netns: true });
  let list: ConnectionList | undefined;

  afterAll(async () => {
    await list?.close();
  });

  it('does not fail over when only the console is cut off from d1, and says so', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath);
    expect((await list.write({ run: (db) => sql`SELECT 1`.execute(db) })).node).toBe('d1');
    partition(dir, 'console', 'd1');
    try {
      await until('the console knows it is cut off', () => list!.node('d1').cutOff !== null, 20_000);
      expect(list.node('d1').cutOff).toMatch(/d2 still receives from d1 .*the console is cut off from d1/);
      // p1 reaches d1 through the partition: once db_cluster would have noticed a hang, p1
      // still using d1 is a witness of its own.
      await until(
        'p1 as a witness',
        () => /, p1 still uses d1: /.test(list!.node('d1').cutOff ?? ''),
        20_000,
      );
      const err = await list.write({ run: (db) => sql`SELECT 1`.execute(db) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: expect.stringMatching(/^(unavailable|unknown_outcome):database$/) });
      expect((err as Error).message).toContain('the console is cut off, not d1');
      await new Promise((r) => setTimeout(r, 1000));
      expect(list.isFenced('d1')).toBe(false);
      expect(list.node('d1').reachable).not.toBe(false);
    } finally {
      heal(dir);
    }
    await until('d1 answers again', () => list!.node('d1').cutOff === null, 20_000);
    expect((await list.write({ run: (db) => sql`SELECT 1`.execute(db) })).node).toBe('d1');
  });

  it('fails over when d1 is cut from everyone, and fences d1 once it is reachable', async () => {
    const { dir } = lab();
    partition(dir, 'd1', 'all');
    try {
      await until(
        'failover to d2',
        () => list!.isFenced('d1') && list!.active()?.handle.name === 'd2',
        20_000,
      );
      const w = await list!.write({ run: (db) => sql`SELECT 1`.execute(db) });
      expect(w.node).toBe('d2');
      const [row] = await adminQuery<{ detail: string }>(
        dir,
        'd2',
        "SELECT detail FROM kamailio.sipha_audit WHERE action = 'failover' ORDER BY id DESC LIMIT 1",
      );
      expect(row?.detail).toMatch(
        /probes over \d+ ms without answer.*; d2 (received no event|'s replication) from d1/,
      );
      expect(row?.detail).toMatch(/; p1 (still uses d1 \(too soon to tell\)|marked d1 inactive)/);
    } finally {
      heal(dir);
    }
    await until('d1 back, fenced and read-only', async () => {
      const [r] = await adminQuery<{ ro: number }>(dir, 'd1', 'SELECT @@read_only AS ro');
      return list!.node('d1').reachable === true && Number(r?.ro) === 1;
    });
    expect(list!.isFenced('d1')).toBe(true);
  });
});
