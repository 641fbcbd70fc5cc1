import { describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { getRun, interruptedRuns, resumeRun } from '@/lib/restore/background';
import { loadRun } from '@/lib/restore/store';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import {
  addUser,
  checksums,
  failD1,
  insertOnD2,
  interruptedRunsOnceQuiet,
  restoreInChild,
} from '../helpers/restore.ts';

// The console (scripts/restore.ts, the same engine in its own process) is SIGKILLed after the
// `switch` step and before `unlock`: d1 is already active and writable, d2 was still read-locked
// by the dead console (the lock died with its session), and the run's last stored state is from
// before the lock. A new console resumes it: nothing is locked again, the nodes are verified
// once more outside a lock, and the run is recorded as completed after the interruption.

describe('console killed after the switch, before the unlock', () => {
  const lab = useLab({ nodes: 2 });

  it('a new console completes the run without locking again, verified outside a lock', async () => {
    const { dir, state } = lab();
    const first = await openList(state.configPath, { probeIntervalMs: 100 });
    let firstOpen = true;
    let restarted: ConnectionList | null = null;
    try {
      await failD1({ dir, list: first, writes: 8, prefix: 'ras-' });
      const {
        child,
        reached: switched,
        exited,
      } = restoreInChild({
        configPath: state.configPath,
        hold: { testHoldAfterSwitchMs: 20_000 },
        marker: 'switched',
      });
      await switched;
      // Still inside the old console's lock window: a writer on d2 waits and times out.
      await expect(insertOnD2(dir, 'ras-blocked')).rejects.toThrow(/Lock wait timeout/);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await first.close();
      firstOpen = false;
      // The lock died with the old console's session.
      await insertOnD2(dir, 'ras-after-kill');
      await adminQuery(dir, 'd2', "DELETE FROM kamailio.subscriber WHERE username = 'ras-after-kill'");

      restarted = await openList(state.configPath, { probeIntervalMs: 100 });
      const list = restarted;
      await list.refreshFence(true);
      expect(list.isFenced('d1')).toBe(false);
      const open = await interruptedRunsOnceQuiet(list);
      expect(open).toHaveLength(1);
      const old = open[0]!;
      expect(old.target).toBe('d1');

      const audits: string[] = [];
      const resumed = await resumeRun({
        list,
        runId: old.runId,
        actor: 'test',
        audit: async (e) => {
          audits.push(`${e.action} ${e.outcome}`);
        },
      });
      // Completed in place, not started again: nothing was locked a second time.
      expect(resumed.runId).toBe(old.runId);
      const v = (await getRun({ list, runId: old.runId }))!;
      expect(v.status, v.message).toBe('succeeded');
      expect(v.message).toMatch(/after (an )?interruption|console restart/i);
      expect(v.phase).toBe('done');
      expect(v.finishedAt).not.toBeNull();
      expect(v.lockLeaseEndsAt).toBeNull();
      expect(v.steps.filter((s) => s.status === 'pending' || s.status === 'running')).toEqual([]);
      expect(v.steps.find((s) => s.id === 'switch')?.status).toBe('done');
      expect(v.verify?.ok).toBe(true);
      expect(v.verify?.tables.every((t) => t.equal)).toBe(true);
      expect(v.steps.find((s) => s.id === 'verify')?.detail).toMatch(/outside a lock/);
      expect(audits).toContain('restore.verify ok');
      expect(audits).toContain('restore.finish ok');
      expect(audits.some((a) => a.startsWith('restore.lock'))).toBe(false);
      expect((await loadRun({ list, runId: old.runId }))?.status).toBe('succeeded');
      expect(await interruptedRuns({ list })).toEqual([]);

      // d1 active and writable, d2 unlocked and replicating from it, nothing lost.
      expect(list.active()?.handle.name).toBe('d1');
      const [ro] = await adminQuery(dir, 'd1', 'SELECT @@read_only AS ro');
      expect(Number(ro.ro)).toBe(0);
      expect(await addUser(list, 'ras-after')).toBe('d1');
      const [p] = await adminQuery<{ b: string }>(dir, 'd1', 'SELECT @@gtid_binlog_pos AS b');
      const [w] = await adminQuery(dir, 'd2', 'SELECT MASTER_GTID_WAIT(?, 10) AS r', [p?.b]);
      expect(Number(w.r)).toBe(0);
      expect(await checksums(dir, 'd1')).toBe(await checksums(dir, 'd2'));
      const [n] = await adminQuery(
        dir,
        'd2',
        "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'ras-%'",
      );
      expect(Number(n.n)).toBe(9);
      const [ss] = await adminQuery(dir, 'd2', 'SELECT @@rpl_semi_sync_master_enabled AS ss');
      expect(Number(ss.ss)).toBe(1);
    } finally {
      if (firstOpen) await first.close();
      await restarted?.close();
    }
  }, 120_000);
});
