import { describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { getRun, interruptedRuns, resumeRun } from '@/lib/restore/background';
import { loadRun } from '@/lib/restore/store';
import type { RunView } from '@/lib/restore/types';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { until } from '../helpers/poll.ts';
import { addUser, checksums, failD1, interruptedRunsOnceQuiet, restoreInChild } from '../helpers/restore.ts';

// A console restart in the middle of a restore: the console (scripts/restore.ts, the same
// engine in its own process) is SIGKILLed while it holds the read-lock on d2. A new console
// process (a fresh connection list, a runner that does not know the run) finds the run and
// RESUMES it: the work is done again from the start, to completion, and d1 is active.

async function finished(list: ConnectionList, runId: string): Promise<RunView> {
  let v: RunView | null = null;
  await until(
    `run ${runId} to finish`,
    async () => {
      v = await getRun({ list, runId });
      return !!v && v.status !== 'running';
    },
    60_000,
  );
  return v!;
}

describe('console restarted during a restore', () => {
  const lab = useLab({ nodes: 2 });

  it('a new console finds the interrupted run and resumes it to completion', async () => {
    const { dir, state } = lab();
    const first = await openList(state.configPath, { probeIntervalMs: 100 });
    let firstOpen = true;
    let restarted: ConnectionList | null = null;
    try {
      await failD1({ dir, list: first, writes: 12, prefix: 'rr-' });
      const {
        child,
        reached: locked,
        exited,
      } = restoreInChild({
        configPath: state.configPath,
        hold: { testHoldMs: 60_000 },
        marker: 'locked',
      });
      await locked;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await first.close();
      firstOpen = false;

      // The restarted console: nothing in memory, the run is only in the job store (sipha_job).
      restarted = await openList(state.configPath, { probeIntervalMs: 100 });
      const list = restarted;
      await until(
        'd1 seen fenced by the new console',
        () => list.isFenced('d1') && list.node('d1').reachable === true,
      );
      const open = await interruptedRunsOnceQuiet(list);
      expect(open).toHaveLength(1);
      const old = open[0]!;
      expect(old.target).toBe('d1');
      expect(old.phase).toBe('lock');
      expect((await getRun({ list, runId: old.runId }))?.status).toBe('interrupted');

      // Writes go on while nothing is locked (the lock died with the old console).
      expect(await addUser(list, 'rr-between')).toBe('d2');

      const audits: string[] = [];
      const resumed = await resumeRun({
        list,
        runId: old.runId,
        actor: 'test',
        audit: async (e) => {
          audits.push(`${e.action} ${e.outcome}`);
        },
      });
      expect(resumed.runId).not.toBe(old.runId);
      const v = await finished(list, resumed.runId);
      expect(v.status, v.message).toBe('succeeded');
      expect(v.verify?.ok).toBe(true);
      expect(v.lockWindowMs).not.toBeNull();
      expect(audits).toContain('restore.switch ok');
      expect(audits).toContain('restore.finish ok');

      // The old run is closed as interrupted, the new one stored as succeeded; nothing open.
      expect((await loadRun({ list, runId: old.runId }))?.status).toBe('interrupted');
      expect((await loadRun({ list, runId: resumed.runId }))?.status).toBe('succeeded');
      expect(await interruptedRuns({ list })).toEqual([]);

      expect(list.isFenced('d1')).toBe(false);
      expect(list.active()?.handle.name).toBe('d1');
      const [ro] = await adminQuery(dir, 'd1', 'SELECT @@read_only AS ro');
      expect(Number(ro.ro)).toBe(0);
      expect(await checksums(dir, 'd1')).toBe(await checksums(dir, 'd2'));
      const [n] = await adminQuery(
        dir,
        'd1',
        "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'rr-%'",
      );
      expect(Number(n.n)).toBe(13);
      expect(await addUser(list, 'rr-after')).toBe('d1');
    } finally {
      if (firstOpen) await first.close();
      await restarted?.close();
    }
  }, 120_000);
});
