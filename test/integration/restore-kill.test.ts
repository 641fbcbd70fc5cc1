import { describe, expect, it } from 'vitest';
import { interruptedRuns, rollbackRun } from '@/lib/restore/background';
import { runRestore } from '@/lib/restore/run-restore';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { failD1, insertOnD2, restoreInChild } from '../helpers/restore.ts';

// The console (here scripts/restore.ts, the same engine in its own process) is SIGKILLed while
// it holds the read-lock on the survivor. The lock must die with it.

describe('console killed during the read-lock', () => {
  const lab = useLab({ nodes: 2 });

  it('the survivor accepts writes again within 1 s; the run is offered for roll back', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 5, prefix: 'rk-' });
      const { child, reached, exited } = restoreInChild({
        configPath: state.configPath,
        hold: { testHoldMs: 60_000 },
        marker: 'locked',
      });
      await reached;
      // The lock is really held: a writer (root, which bypasses read_only) times out after 1 s.
      await expect(insertOnD2(dir, 'rk-blocked')).rejects.toThrow(/Lock wait timeout/);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // lock_wait_timeout = 1: this INSERT fails unless the lock is gone within 1 s of the kill.
      await insertOnD2(dir, 'rk-after-kill');
      const [row] = await adminQuery(
        dir,
        'd2',
        "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'rk-after-kill'",
      );
      expect(Number(row.n)).toBe(1);
      // A restarted console finds the run and rolls it back: d1 was never switched, stays fenced.
      await list.refreshFence(true);
      const open = await interruptedRuns({ list });
      expect(open).toHaveLength(1);
      expect(open[0]?.phase).toBe('lock');
      const rb = await rollbackRun({ list, runId: open[0]!.runId, actor: 'test' });
      expect(rb.detail).toBe('nothing had been switched');
      expect(list.isFenced('d1')).toBe(true);
      const v = await runRestore({
        list,
        kind: 'restore',
        procedure: 'sipha',
        target: 'd1',
        actor: 'test',
        runId: 'after-kill',
      });
      expect(v.status, v.message).toBe('succeeded');
    } finally {
      await list.close();
    }
  }, 90_000);
});
