import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, load } from '@/lab/index';
import type { Session } from '@/lib/db/sessions';
import { until } from '../helpers/poll';
import { useSipDbLab } from '../helpers/sip-db';

// A two-writer window the console did not open: d1 is slow for p1 (its location table held by
// a lock, as a burst of big writes holds it), p1's db_cluster (co-located: d1, then d2; db_mysql
// timeout_interval 1 s) gives up on d1 and writes REGISTERs to d2 while the console, whose
// probes d1 answers, keeps writing to d1. The console must see it, say so, audit it and hold the
// pair as "needs verification", without failing over.

describe('a SIP server that leaves a slow d1 on its own', () => {
  const { lab, list, sync, db } = useSipDbLab({ nodes: 2 });
  let lock: Session | undefined;

  afterAll(async () => {
    lock?.destroy();
  });

  it('is a two-writer window: flagged for verification, audited and shown, with no failover', async () => {
    const { dir } = lab();
    await sync().round();
    expect(db('p1')).toMatchObject({ order: ['d1', 'd2'], using: 'd1', twoWriters: null, error: null });
    expect(list().needsVerification()).toEqual([]);

    lock = await list().openSession('d1', { statementTimeoutMs: null });
    await lock.rows('LOCK TABLES kamailio.location WRITE');
    const registers = load(dir, { site: 'p1', rate: 20, users: 20, duration: 8 });
    try {
      await until(
        'p1 writing to d2',
        async () => {
          await sync().round();
          return db('p1').using === 'd2';
        },
        20_000,
      );
    } finally {
      lock.destroy();
      lock = undefined;
    }
    await registers;

    expect(db('p1')).toMatchObject({ using: 'd2', twoWriters: 'd1' });
    expect(db('p1').error).toMatch(/^p1 writes to d2 while d1 is up and not fenced/);
    expect(db('p1').fix).toMatch(/^Compare and repair d1 and d2/);
    expect(list().needsVerification()).toMatchObject([{ nodes: ['d1', 'd2'] }]);
    // The console's own state is untouched: d1 answers its probes and keeps its writes.
    expect(list().isFenced('d1')).toBe(false);
    expect(list().active()?.handle.name).toBe('d1');

    const audited = () =>
      adminQuery<{ target: string; detail: string }>(
        dir,
        'd1',
        "SELECT target, detail FROM kamailio.sipha_audit WHERE action = 'sip.db.two-writers'",
      );
    await until('the audit row', async () => (await audited()).length > 0);
    const rows = await audited();
    expect(rows).toHaveLength(1); // once per window, not once per second
    expect(rows[0]).toMatchObject({ target: 'p1:d2' });
    expect(rows[0]?.detail).toContain('d1 and d2 need verification');
  });

  it('keeps the pair flagged until d1 is restored (here: fenced, then let back by the operator)', async () => {
    await list().setFenced('d1', true, 'test: maintenance', 'test');
    expect(list().needsVerification()).toMatchObject([{ nodes: ['d1', 'd2'] }]);
    await list().setFenced('d1', false, 'test: verified', 'test');
    expect(list().needsVerification()).toEqual([]);
  });
});
