import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import { describe, expect, it } from 'vitest';
import * as m004 from '@/lib/db/migrations/004-wizard';
import * as m005 from '@/lib/db/migrations/005-restore';
import * as m010 from '@/lib/db/migrations/010-jobs';
import * as m014 from '@/lib/db/migrations/014-shards';
import * as m018 from '@/lib/db/migrations/018-move-jobs';
import { interruptedJobs } from '@/lib/jobs/interrupted';
import { PROCESS_ID } from '@/lib/jobs/registry';
import { newJob } from '@/lib/jobs/run';
import { tableStore } from '@/lib/jobs/store';
import { adminQuery, readState } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';

// The job store is the sipha_job table on a real node: records round-trip, updates are
// read-modify-write under a row lock, and migration 010 carries the wizard's and the
// restore's old runs over (an interrupted restore is still offered after the upgrade).

describe('sipha_job, the one job store', () => {
  const lab = useLab({ nodes: 2, sip: false });

  it('saves, loads, lists by kind, and serialises concurrent updates of one job', async () => {
    const list = await openList(lab().state.configPath);
    try {
      const store = tableStore(list);
      const a = newJob({ jobId: 'store-a', kind: 'store-test', target: 'd1', createdBy: 'admin:test' });
      await store.save({ ...a, state: { steps: {}, n: 0, text: 'naïve ✓' } });
      await store.save(
        newJob({ jobId: 'store-b', kind: 'other-kind', target: 'd2', createdBy: 'admin:test' }),
      );
      const back = await store.load('store-a');
      expect(back?.kind).toBe('store-test');
      expect(back?.state).toEqual({ steps: {}, n: 0, text: 'naïve ✓' });
      expect(back?.createdAt).toBe(a.createdAt);
      expect((await store.recent({ kind: 'store-test', limit: 5 })).map((r) => r.jobId)).toEqual(['store-a']);

      const bump = () =>
        store.update('store-a', (r) => ({
          ...r,
          state: { ...(r.state as object), n: (r.state as { n: number }).n + 1 },
        }));
      await Promise.all(Array.from({ length: 8 }, bump));
      expect((await store.load('store-a'))?.state).toMatchObject({ n: 8 });
      await expect(store.update('nosuch', (r) => r)).rejects.toThrow(/No job nosuch/);

      // The heartbeat touches only a running step this process owns, and only updated_at.
      const updatedAt = async () => (await store.load('store-a'))!.updatedAt; // datetime(3): ms
      expect(await store.touch('store-a')).toBe(false); // no step runs
      await store.update('store-a', (r) => ({ ...r, step: 'a', owner: PROCESS_ID }));
      const before = await store.load('store-a');
      await new Promise((r) => setTimeout(r, 50));
      const t0 = await updatedAt();
      expect(await store.touch('store-a')).toBe(true);
      expect(await updatedAt()).not.toBe(t0);
      expect({ ...(await store.load('store-a')), updatedAt: 0 }).toEqual({ ...before, updatedAt: 0 });
      await store.update('store-a', (r) => ({ ...r, owner: 'lab1:4242:abcdef' }));
      const t1 = await updatedAt();
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.touch('store-a')).toBe(false); // taken over by another console
      expect(await updatedAt()).toBe(t1);
      expect(await store.touch('nosuch')).toBe(false);
    } finally {
      await list.close();
    }
  });

  it('migrations 010 and 018 copy the wizard, restore and shard-move tables into sipha_job and drop them', async () => {
    const { dir, state } = lab();
    await adminQuery(dir, 'd1', 'DROP DATABASE IF EXISTS jobs_mig; CREATE DATABASE jobs_mig');
    const socket = readState(dir).nodes.find((n) => n.name === 'd1')!.socket;
    const db = new Kysely<unknown>({
      dialect: new MysqlDialect({
        pool: createPool({ socketPath: socket, user: 'root', database: 'jobs_mig' }),
      }),
    });
    try {
      await m004.up(db);
      await m005.up(db);
      const steps = { nodes: { status: 'done', log: [] } };
      await adminQuery(
        dir,
        'd1',
        `INSERT INTO jobs_mig.sipha_wizard (run_id, status, current_step, nodes, steps, created_by) VALUES ('w-old', 'open', 'preflight', ?, ?, 'admin')`,
        [
          JSON.stringify([{ name: 'd1', replicationHost: '127.0.0.1', replicationPort: 3306 }]),
          JSON.stringify(steps),
        ],
      );
      const view = {
        runId: 'r-old',
        kind: 'restore',
        target: 'd1',
        survivor: 'd2',
        phase: 'lock',
        steps: [],
      };
      await adminQuery(
        dir,
        'd1',
        `INSERT INTO jobs_mig.sipha_restore (run_id, kind, procedure_mode, target, survivor, status, phase, steps, created_by) VALUES ('r-old', 'restore', 'sipha', 'd1', 'd2', 'running', 'lock', ?, 'admin')`,
        [JSON.stringify(view)],
      );
      await m010.up(db);
      const rows = await adminQuery<{
        job_id: string;
        kind: string;
        status: string;
        step: string | null;
        state: string;
      }>(dir, 'd1', 'SELECT job_id, kind, status, step, state FROM jobs_mig.sipha_job ORDER BY job_id');
      expect(rows.map((r) => [r.job_id, r.kind, r.status, r.step])).toEqual([
        ['r-old', 'restore', 'running', 'lock'],
        ['w-old', 'wizard', 'open', null],
      ]);
      expect(JSON.parse(rows[0]!.state)).toEqual(view);
      expect(JSON.parse(rows[1]!.state)).toEqual({
        nodes: [{ name: 'd1', replicationHost: '127.0.0.1', replicationPort: 3306 }],
        steps,
      });
      const left = await adminQuery(
        dir,
        'd1',
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'jobs_mig' AND TABLE_NAME IN ('sipha_wizard', 'sipha_restore')",
      );
      expect(left).toEqual([]);
      // Run again (a node that replicated the first run's rows): nothing to copy, nothing fails.
      await m010.up(db);

      // Migration 018: an unfinished shard move, stored at its phase, becomes a job that a
      // resume runs on from that phase.
      await m014.up(db);
      await adminQuery(
        dir,
        'd1',
        `INSERT INTO jobs_mig.sipha_shard_move (move_id, source, target, status, phase, plan, detail, created_by) VALUES ('m-old', 'c2', 'c1', 'running', 'flip', '{"users":3}', '3 subscribers copied', 'admin')`,
      );
      await m018.up(db);
      const [move] = await adminQuery<{ kind: string; status: string; step: string; state: string }>(
        dir,
        'd1',
        "SELECT kind, status, step, state FROM jobs_mig.sipha_job WHERE job_id = 'm-old'",
      );
      expect([move?.kind, move?.status, move?.step]).toEqual(['shards.move', 'running', 'flip']);
      expect(JSON.parse(move!.state)).toEqual({
        steps: {
          pin: { status: 'done', detail: '' },
          copy: { status: 'done', detail: '3 subscribers copied' },
        },
        data: { users: 3 },
      });
      expect(
        await adminQuery(
          dir,
          'd1',
          "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'jobs_mig' AND TABLE_NAME = 'sipha_shard_move'",
        ),
      ).toEqual([]);
    } finally {
      await db.destroy();
      await adminQuery(dir, 'd1', 'DROP DATABASE IF EXISTS jobs_mig');
    }
    // In the console's own database the same rows are found as an interrupted restore.
    const list = await openList(state.configPath);
    try {
      const store = tableStore(list);
      await store.save({
        ...newJob({ jobId: 'r-interrupted', kind: 'restore', target: 'd1', createdBy: 'admin' }),
        step: 'lock',
        owner: 'an-older-console-process',
      });
      // Touched just now by that process: it may still run it.
      expect(await interruptedJobs({ store, kind: 'restore' })).toEqual([]);
      // It stopped reporting longer than STALE_MS ago.
      await adminQuery(
        dir,
        'd1',
        "UPDATE kamailio.sipha_job SET updated_at = NOW(3) - INTERVAL 30 SECOND WHERE job_id = 'r-interrupted'",
      );
      expect((await interruptedJobs({ store, kind: 'restore' })).map((r) => r.jobId)).toEqual([
        'r-interrupted',
      ]);
    } finally {
      await list.close();
    }
  });
});
