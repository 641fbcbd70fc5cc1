import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnectionList } from '@/lib/db';
import { getGaleraHealth } from '@/lib/galera/health';
import { jobDone, refuseIfRunsElsewhere, startJob } from '@/lib/galera/job';
import { joinNode, planRecovery, recoverFullOutage, rollingRestart } from '@/lib/galera/operations';
import { renderMetrics } from '@/lib/health/metrics';
import { interruptedJobs } from '@/lib/jobs/interrupted';
import { newJob } from '@/lib/jobs/run';
import { tableStore } from '@/lib/jobs/store';
import { adminQuery, signal, status } from '../../lab/index.ts';
import { createTable, TABLE, waitFor, writeKey, wsrep } from '../helpers/galera';
import { useLab } from '../helpers/lab';

// The console's Galera operations on a real three-node cluster, driven the way the page drives
// them (a background job), with the lab's node commands (lab/galera-ctl.ts) as configured.

describe('Galera console operations', () => {
  const lab = useLab({ engine: 'galera', nodes: 3, sip: false });

  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    await createTable(lab().dir);
    // What a console that stopped during a recovery leaves behind in the job store.
    const left = {
      id: 'galera-left',
      kind: 'recover',
      actor: 'test',
      finishedAt: null,
      outcome: 'running',
      steps: [],
    };
    await tableStore(await getConnectionList()).save({
      ...newJob({ jobId: left.id, kind: 'galera', target: 'recover', createdBy: 'test' }),
      step: 'recover',
      owner: 'lab2:4242:abcdef',
      state: { ...left, startedAt: new Date().toISOString() },
    });
    // That console stopped reporting longer than STALE_MS ago.
    await adminQuery(
      lab().dir,
      'd1',
      "UPDATE kamailio.sipha_job SET updated_at = NOW(3) - INTERVAL 30 SECOND WHERE job_id = 'galera-left'",
    );
  });
  afterAll(async () => {
    await (await getConnectionList()).close();
  });

  const logOf = (steps: { kind: string; text: string }[]) =>
    steps.map((s) => `${s.kind}: ${s.text}`).join('\n');

  describe('Galera health', () => {
    it('shows every node Synced with its wsrep figures, in the health picture and /metrics', async () => {
      await waitFor(
        'three writable nodes',
        async () => (await getGaleraHealth()).nodes.every((n) => n.writable),
        10_000,
      );
      const h = await getGaleraHealth();
      expect(h.writer).toBe('d1');
      expect(h.problems).toEqual([]);
      // Found after the "restart": shown as interrupted until an operation supersedes it.
      expect(h.job).toMatchObject({ id: 'galera-left', kind: 'recover', outcome: 'interrupted' });
      expect(h.job?.steps.at(-1)?.text).toMatch(/console stopped during this operation/);
      expect(
        h.nodes.map((n) => [n.name, n.status?.clusterSize, n.status?.clusterStatus, n.status?.localState]),
      ).toEqual([
        ['d1', 3, 'Primary', 'Synced'],
        ['d2', 3, 'Primary', 'Synced'],
        ['d3', 3, 'Primary', 'Synced'],
      ]);
      const { body } = await renderMetrics();
      expect(body).toMatch(/sipha_galera_cluster_size\{node="d2"\} 3/);
      expect(body).toMatch(/sipha_galera_synced\{node="d3"\} 1/);
      expect(body).toMatch(/sipha_galera_writer\{node="d1"\} 1/);
    });
  });

  describe('Galera operations', () => {
    it('refuses a full-outage recovery while nodes still run', async () => {
      const lines: string[] = [];
      const { decision } = await planRecovery((_k, t) => lines.push(t));
      expect(decision).toMatchObject({ ok: false, reason: expect.stringMatching(/d1, d2, d3 still run/) });
    });

    it('refuses to start while another console process runs an operation and still reports it', async () => {
      const store = tableStore(await getConnectionList());
      await store.save({
        ...newJob({
          jobId: 'galera-elsewhere',
          kind: 'galera',
          target: 'rolling-restart',
          createdBy: 'test',
        }),
        step: 'rolling-restart',
        owner: 'lab2:4242:abcdef',
      });
      await expect(refuseIfRunsElsewhere()).rejects.toThrow(
        /Another console process \(process 4242 on lab2\) runs a Galera operation \(rolling-restart\) \(it reported \d+ s ago\)/,
      );
      // Still reported: not taken for interrupted and closed by the next operation either.
      expect((await interruptedJobs({ store, kind: 'galera' })).map((r) => r.jobId)).not.toContain(
        'galera-elsewhere',
      );
      // That process stopped reporting: nothing stands in the way (and the row reads as interrupted).
      await adminQuery(
        lab().dir,
        'd1',
        "UPDATE kamailio.sipha_job SET updated_at = NOW(3) - INTERVAL 30 SECOND WHERE job_id = 'galera-elsewhere'",
      );
      await expect(refuseIfRunsElsewhere()).resolves.toBeUndefined();
      expect((await interruptedJobs({ store, kind: 'galera' })).map((r) => r.jobId)).toContain(
        'galera-elsewhere',
      );
    });

    it('restarts one node at a time, the writer last, while console writes go on', async () => {
      const list = await getConnectionList();
      let stop = false;
      const failures: string[] = [];
      let i = 0;
      const writes = (async () => {
        while (!stop && i < 5000) {
          const k = `rolling-${i++}`;
          await writeKey(list, k).catch((e: Error) => failures.push(`${k}: ${e.message}`));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      startJob('rolling-restart', 'test', rollingRestart);
      const job = await jobDone(600_000);
      stop = true;
      await writes;
      expect(job.outcome, logOf(job.steps)).toBe('ok');
      const order = job.steps.filter((s) => s.kind === 'sql').map((s) => s.text);
      expect(order).toEqual(['d2: SHUTDOWN', 'd3: SHUTDOWN', 'd1: SHUTDOWN']);
      expect(failures).toEqual([]);
      // A job like the wizard's and the restore's: stored as ended; the one left behind by the
      // stopped console is closed, so nothing is left interrupted.
      await waitFor(
        'the operation stored as ended',
        async () => (await tableStore(list).load(job.id))?.status === 'ok',
        10_000,
      );
      expect(await interruptedJobs({ store: tableStore(list), kind: 'galera' })).toEqual([]);
      expect(i).toBeGreaterThan(50);
    }, 360_000);

    it('joins a node by SST with its share measured: bytes received against the donor', async () => {
      const { dir } = lab();
      const list = await getConnectionList();
      await writeKey(list, 'before-sst');
      // A node that lost its state (grastate.dat and gcache gone) can only join by a full SST.
      await signal(dir, 'd3', 'kill');
      for (const f of ['grastate.dat', 'galera.cache']) rmSync(join(dir, 'd3', 'data', f), { force: true });
      await waitFor(
        'the others to see d3 gone',
        async () => (await wsrep(dir, 'd1')).wsrep_cluster_size === '2',
        30_000,
      );
      startJob('join', 'test', (log) => joinNode('d3', log));
      const job = await jobDone(300_000);
      expect(job.outcome, logOf(job.steps)).toBe('ok');
      const shares = job.steps
        .map((s) => /d3: SST (\d+) % — [\d.]+ MiB of about [\d.]+ MiB received/.exec(s.text)?.[1])
        .filter((x) => x !== undefined)
        .map(Number);
      // The donor waits 10 s before it streams: the share starts low and only grows.
      expect(shares[0], logOf(job.steps)).toBeLessThan(99);
      expect(shares).toEqual([...shares].sort((a, b) => a - b));
      expect(await wsrep(dir, 'd3')).toMatchObject({
        wsrep_cluster_size: '3',
        wsrep_local_state_comment: 'Synced',
      });
      const rows = await adminQuery(
        dir,
        'd3',
        `SELECT COUNT(*) AS n FROM kamailio.${TABLE} WHERE k = 'before-sst'`,
      );
      expect(Number(rows[0].n)).toBe(1);
    }, 360_000);

    it('recovers a full outage: the most advanced node bootstrapped, the others rejoined', async () => {
      const { dir } = lab();
      const list = await getConnectionList();
      await waitFor('writer', async () => list.active() !== undefined, 30_000);
      expect((await writeKey(list, 'before-outage')).node).toBeDefined();
      for (const n of ['d1', 'd2', 'd3']) await signal(dir, n, 'kill');
      expect((await status(dir)).nodes.every((n) => n.state === 'down')).toBe(true);
      await waitFor('no writer', async () => list.active() === undefined, 10_000);

      startJob('recover', 'test', recoverFullOutage);
      const job = await jobDone(600_000);
      expect(job.outcome, logOf(job.steps)).toBe('ok');
      const commands = job.steps
        .filter((s) => s.kind === 'command')
        .map((s) => s.text.split(' ').slice(-1)[0]);
      // Evidence first (grastate.dat says seqno -1 after a crash, so --wsrep-recover), then the
      // chosen node marked safe and bootstrapped, then the two others started.
      expect(commands.slice(0, 6).sort()).toEqual([
        'recover',
        'recover',
        'recover',
        'state',
        'state',
        'state',
      ]);
      expect(commands.slice(6)).toEqual(['mark-safe', 'bootstrap', 'start', 'start']);
      for (const n of ['d1', 'd2', 'd3'])
        expect(await wsrep(dir, n)).toMatchObject({
          wsrep_cluster_size: '3',
          wsrep_local_state_comment: 'Synced',
        });
      const rows = await adminQuery(
        dir,
        'd3',
        `SELECT COUNT(*) AS n FROM kamailio.${TABLE} WHERE k = 'before-outage'`,
      );
      expect(Number(rows[0].n)).toBe(1);
      await waitFor('writer again', async () => list.active() !== undefined, 15_000);
      expect((await writeKey(list, 'after-recovery')).node).toBeDefined();
    }, 360_000);
  });
});
