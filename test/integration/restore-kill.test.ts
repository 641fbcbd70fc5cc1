import { describe, expect, it } from 'vitest';
import { runsElsewhere } from '@/lib/jobs/interrupted';
import { tableStore } from '@/lib/jobs/store';
import { getRun, rollbackRun } from '@/lib/restore/background';
import { runRestore } from '@/lib/restore/run-restore';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { failD1, insertOnD2, interruptedRunsOnceQuiet, restoreInChild } from '../helpers/restore.ts';

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
      // Right after the kill the row was touched moments ago: for all this console knows, the
      // other process still runs it, so it is neither rolled back nor resumed yet.
      const [rec] = await tableStore(list).recent({ kind: 'restore', limit: 1 });
      expect(rec?.owner).toMatch(new RegExp(`^[^:]+:${child.pid}:[0-9a-f]{6}$`));
      // (Its last save was just before the lock, seconds ago, well within STALE_MS.)
      expect(runsElsewhere(rec!)).toBe(true);
      await expect(rollbackRun({ list, runId: rec!.jobId, actor: 'test' })).rejects.toThrow(
        new RegExp(`Another console process \\(process ${child.pid} on \\S+\\) runs this job`),
      );
      expect(await getRun({ list, runId: rec!.jobId })).toMatchObject({ status: 'running' });
      const open = await interruptedRunsOnceQuiet(list);
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
