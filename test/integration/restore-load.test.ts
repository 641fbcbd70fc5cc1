import { describe, expect, it } from 'vitest';
import { runRestore } from '@/lib/restore/run-restore';
import { adminQuery, load } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { until } from '../helpers/poll.ts';
import { addUser, checksums, failD1 } from '../helpers/restore.ts';

// sipp drives REGISTER at 280/s at p2 (the survivor's site) through the whole restore of d1.

describe('restore under SIP load', () => {
  const lab = useLab({ nodes: 2 });

  it('no REGISTER fails, the restore completes, checksums equal, d1 active again', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 10, prefix: 'rl-' });
      // Transactions d2 has written so far (the sum over its GTID domains).
      const written = async () => {
        const [row] = await adminQuery(dir, 'd2', 'SELECT @@gtid_binlog_pos AS pos');
        return String(row.pos)
          .split(',')
          .reduce((sum, g) => sum + Number(g.split('-')[2] ?? 0), 0);
      };
      const before = await written();
      const sipp = load(dir, { site: 'p2', rate: 280, duration: 12 });
      // Let the load build up a gap on d2 first, so catch-up really runs under writes.
      await until('500 REGISTER writes on d2', async () => (await written()) >= before + 500, 10_000);
      const v = await runRestore({
        list,
        kind: 'restore',
        procedure: 'sipha',
        target: 'd1',
        actor: 'test',
        runId: 'load-1',
      });
      const r = await sipp;
      expect(v.status, v.message).toBe('succeeded');
      expect(v.verify?.ok).toBe(true);
      expect(r.sent).toBeGreaterThan(280 * 10);
      expect(r.failed).toBe(0);
      expect(list.active()?.handle.name).toBe('d1');
      expect(await addUser(list, 'rl-after')).toBe('d1');
      // After the load stops, both nodes hold the same data.
      await until(
        'd1 and d2 equal',
        async () => (await checksums(dir, 'd1')) === (await checksums(dir, 'd2')),
        10_000,
      );
      const [n] = await adminQuery(dir, 'd1', 'SELECT COUNT(*) AS n FROM kamailio.location');
      expect(Number(n.n)).toBeGreaterThan(0);
    } finally {
      await list.close();
    }
  }, 90_000);
});
