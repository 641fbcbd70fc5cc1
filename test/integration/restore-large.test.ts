import { beforeAll, describe, expect, it } from 'vitest';
import { liveRun, resumeRun } from '@/lib/restore/background';
import { previewRepair } from '@/lib/restore/repair';
import { recentRuns } from '@/lib/restore/store';
import { adminQuery, load } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { until } from '../helpers/poll.ts';
import {
  applyPreviewed,
  failD1,
  insertOnD2,
  interruptedRunsOnceQuiet,
  restoreD1,
  restoreInChild,
} from '../helpers/restore.ts';
import { fillLarge, settled } from '../helpers/restore-large.ts';

// The restore at scale, kept CI-sized here (100,000 registrations, 10,000 users; the benchmark
// restore_1m runs the million): verified outside the lock while sipp registers at the survivor.

const LOCATIONS = 100_000;

describe('restore with 100,000 registrations', () => {
  const lab = useLab({ nodes: 2 });

  beforeAll(async () => {
    const { dir } = lab();
    await fillLarge({ dir, locations: LOCATIONS, subscribers: 10_000 });
    await settled(dir, 'd1', 'd2');
  }, 300_000);

  it('under 280 REGISTER/s: every row compared in chunks outside the lock, two brief locks, no REGISTER fails', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 5, prefix: 'lg-' });
      const sipp = load(dir, { site: 'p2', rate: 280, duration: 25 });
      await new Promise((r) => setTimeout(r, 2000));
      const v = await restoreD1(list, 'lg-1');
      const r = await sipp;
      expect(v.status, v.message).toBe('succeeded');
      expect(r.failed).toBe(0);
      const loc = v.snapshot?.tables.find((t) => t.table === 'location');
      expect(loc?.rows).toBeGreaterThanOrEqual(LOCATIONS);
      expect(loc?.rowsDone).toBe(loc?.rows);
      expect(loc?.chunksDone).toBe(loc?.chunks);
      expect(loc?.chunksDone).toBeGreaterThan(20);
      expect(v.snapshot?.tables.find((t) => t.table === 'subscriber')?.rowsDone).toBeGreaterThanOrEqual(
        10_000,
      );
      // The proof under the second lock is positions only: no CHECKSUM TABLE there.
      expect(v.steps.find((s) => s.id === 'verify')?.detail).toMatch(/nothing else since the snapshot/);
      // lockWindowMs is the total of both windows.
      expect(v.lockWindowMs).toBeGreaterThanOrEqual(v.snapshot?.lockMs ?? Number.NaN);
      expect(list.active()?.handle.name).toBe('d1');
    } finally {
      await list.close();
    }
  }, 180_000);

  it('a row changed in a chunk in the middle of location is found and shown by its key, then repaired', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 5, prefix: 'lm-' });
      const [mid] = await adminQuery<{ id: number; ruid: string; user_agent: string }>(
        dir,
        'd1',
        `SELECT id, ruid, user_agent FROM kamailio.location ORDER BY id LIMIT 1 OFFSET ${LOCATIONS / 2}`,
      );
      await adminQuery(
        dir,
        'd1',
        "SET sql_log_bin = 0; UPDATE kamailio.location SET user_agent = 'planted' WHERE id = ?; SET sql_log_bin = 1",
        [mid!.id],
      );
      const v = await restoreD1(list, 'lm-1');
      expect(v.status).toBe('aborted');
      expect(v.steps.find((s) => s.id === 'lock')?.status).toBe('skipped');
      const loc = v.snapshot?.tables.find((t) => t.table === 'location');
      expect(loc?.chunksDiffering).toBe(1);
      expect(loc?.chunksDone).toBe(loc?.chunks);
      expect(v.verify?.diffs).toHaveLength(1);
      expect(v.verify?.diffs[0]).toMatchObject({
        table: 'location',
        key: mid!.ruid,
        survivor: { user_agent: mid!.user_agent },
        target: { user_agent: 'planted' },
      });
      const p = await previewRepair({ list, target: 'd1', choices: {} });
      expect(p.location.map((c) => `${c.node} ${c.op} ${c.key}`).sort()).toEqual([
        `target delete ${mid!.ruid}`,
        `target insert ${mid!.ruid}`,
      ]);
      const { done } = await applyPreviewed({ list, preview: p });
      expect(done.after?.ok).toBe(true);
      const w = await restoreD1(list, 'lm-2');
      expect(w.status, w.message).toBe('succeeded');
    } finally {
      await list.close();
    }
  }, 180_000);

  it('a console killed during the verification outside the lock resumes at the last compared chunk, without a long lock', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 5, prefix: 'lk-' });
      const { child, reached, exited } = restoreInChild({
        configPath: state.configPath,
        hold: {},
        marker: 'verifying',
      });
      await reached;
      // The child saves a checkpoint with the run after every equal chunk: kill it once one is stored.
      const stored = async () =>
        (await recentRuns({ list, limit: 1 }))[0]?.steps.find((s) => s.id === 'verify_chunks')?.checkpoint;
      await until(
        'a chunk checkpoint stored',
        async () => !!(await stored())?.tables.some((t) => t.chunksDone > 0),
      );
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // Killed outside any lock: the survivor takes a write at once (gives up after 1 s if locked).
      await insertOnD2(dir, 'lk-after-kill');
      await list.refreshFence(true);
      const [open] = await interruptedRunsOnceQuiet(list);
      expect(open?.phase).toBe('verify_chunks');
      const checkpoint = open?.steps.find((s) => s.id === 'verify_chunks')?.checkpoint;
      expect(checkpoint?.tables.some((t) => t.chunksDone > 0)).toBe(true);
      expect(list.isFenced('d1')).toBe(true);
      const { runId } = await resumeRun({ list, runId: open!.runId, actor: 'test' });
      // The resumed run checksums outside the lock too: the survivor keeps taking writes.
      await until(
        'resumed run verifying',
        () => liveRun(runId)?.snapshot?.tables.some((t) => t.chunksDone > 0) === true,
        60_000,
      );
      expect(liveRun(runId)?.phase).toBe('verify_chunks');
      await insertOnD2(dir, 'lk-during-verify');
      await until('resumed run finished', () => liveRun(runId)?.status !== 'running', 120_000);
      const v = liveRun(runId)!;
      expect(v.status, v.message).toBe('succeeded');
      // Resumed at chunk k > 0: the chunks the killed console had compared are carried over (the
      // survivor's writes since then reached d1 by replication only), the rest compared now.
      const carried = (t: string) => v.snapshot?.tables.find((x) => x.table === t)?.chunksCarried;
      for (const t of checkpoint!.tables) expect(carried(t.table), t.table).toBe(t.chunksDone);
      expect(v.snapshot?.resumed).toMatch(/^Resumed where the interrupted run stopped/);
      expect(v.steps.find((s) => s.id === 'verify_chunks')?.detail).toContain('Resumed where');
      const loc = v.snapshot?.tables.find((t) => t.table === 'location');
      expect(loc?.chunksDone).toBe(loc?.chunks);
      expect(loc?.rowsDone).toBe(loc?.rows);
      expect(v.steps.find((s) => s.id === 'verify')?.detail).toMatch(/nothing else since the snapshot/);
      expect(list.active()?.handle.name).toBe('d1');
    } finally {
      await list.close();
    }
  }, 240_000);
});
