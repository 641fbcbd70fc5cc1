import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, freePort } from '../../lab/index';
import { interruptedJobs } from '../../lib/jobs/interrupted';
import { tableStore } from '../../lib/jobs/store';
import { applyPreflightFixes, teardown } from '../../lib/wizard/operations';
import { present, startStep } from '../../lib/wizard/runner';
import { useLab } from '../helpers/lab';
import { newRun, step, type WizardHarness, wizardHarness } from '../helpers/wizard';

// Failures give a clear message and change nothing further.

type Check = { node: string; id: string; ok: boolean; reason: string; apply?: string[]; myCnf?: string };
const find = (checks: Check[], node: string, id: string) =>
  checks.find((c) => c.node === node && c.id === id)!;

describe('wizard preflight refuses a broken node', () => {
  // d2 shares d1's server_id and runs without a binary log.
  const lab = useLab({
    nodes: 2,
    fresh: true,
    sip: false,
    extraNodeArgs: { d2: ['--server-id=1', '--skip-log-bin'] },
  });
  let h: WizardHarness;
  let runId: string;
  const q = (node: string, sql: string) => adminQuery(lab().dir, node, sql);

  beforeAll(async () => {
    await q(
      'd2',
      "SET sql_log_bin = 0; CREATE USER 'weak'@'127.0.0.1' IDENTIFIED BY 'weakpw'; GRANT SELECT ON *.* TO 'weak'@'127.0.0.1'",
    );
    h = await wizardHarness({ state: lab().state });
    runId = (await newRun({ h, names: ['d1', 'd2'] })).runId;
    await step({ h, runId, id: 'nodes' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('duplicate server_id and log_bin off fail with the reason and the fix', async () => {
    const s = await step({ h, runId, id: 'preflight' });
    expect(s.status).toBe('failed');
    expect(s.message).toMatch(/d2 server_id unique and non-zero/);
    const sid = find(s.result.checks, 'd2', 'server_id');
    expect(sid.reason).toMatch(/server_id 1 is also used by another node/);
    expect(sid.apply).toEqual(['SET GLOBAL server_id = 2']);
    expect(find(s.result.checks, 'd1', 'server_id').ok).toBe(true);
    const bin = find(s.result.checks, 'd2', 'log_bin');
    expect(bin.ok).toBe(false);
    expect(bin.apply).toBeUndefined(); // static: no Apply button
    // d2 has no binary log yet, so the block proposes the default name.
    expect(bin.myCnf).toMatch(/\[mariadbd\]\nserver_id = 2\nlog_bin = mariadb-bin/);
  });

  it('later steps refuse and change nothing while preflight fails', async () => {
    // Apply fixes what is dynamic (server_id); log_bin still needs a restart.
    await applyPreflightFixes({ ctx: h.ctx, runId });
    const run = await h.ctx.store.get(runId);
    expect(run?.steps.preflight.status).toBe('failed');
    expect(find(run!.steps.preflight.result!.checks, 'd2', 'server_id').ok).toBe(true);
    await expect(startStep({ ctx: h.ctx, runId, step: 'user', wait: true })).rejects.toThrow(
      /Finish Preflight first/,
    );
    // Even called directly, the step function re-checks and refuses.
    const { runUserStep } = await import('../../lib/wizard/repl-user');
    const { createIO } = await import('../../lib/wizard/io');
    const io = createIO({ dryRun: false });
    await expect(runUserStep({ ctx: h.ctx, run: run!, io })).rejects.toThrow(
      /d2: Binary log on.*nothing was changed/,
    );
    expect(
      io.log.filter(
        (l) => l.outcome !== 'planned' && !l.sql.startsWith('SELECT') && !l.sql.startsWith('SHOW'),
      ),
    ).toEqual([]);
    expect(await q('d1', "SELECT User FROM mysql.user WHERE User = 'sipha_repl'")).toEqual([]);
  });

  it('a console account without the needed privileges is named in preflight', async () => {
    const weak = await wizardHarness({
      state: lab().state,
      configOverride: (raw) => {
        const d2 = (raw.nodes as { name: string; user: string; password: string }[]).find(
          (n) => n.name === 'd2',
        )!;
        d2.user = 'weak';
        d2.password = 'weakpw';
      },
    });
    try {
      const r = await newRun({ h: weak, names: ['d1', 'd2'] });
      await step({ h: weak, runId: r.runId, id: 'nodes' });
      const s = await step({ h: weak, runId: r.runId, id: 'preflight' });
      expect(s.status).toBe('failed');
      const p = find(s.result.checks, 'd2', 'privileges');
      expect(p.ok).toBe(false);
      expect(p.reason).toMatch(/lacks: GRANT OPTION, CREATE USER, REPLICATION SLAVE ADMIN/);
      expect(find(s.result.checks, 'd1', 'privileges').ok).toBe(true);
    } finally {
      await weak.close();
    }
  });
});

describe('wizard directions explain replica errors and stop there', () => {
  const lab = useLab({ nodes: 2, fresh: true, sip: false });
  let h: WizardHarness;
  const q = (node: string, sql: string) => adminQuery(lab().dir, node, sql);

  beforeAll(async () => {
    h = await wizardHarness({ state: lab().state });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function upToData(names: string[], override?: { d1Port: number }) {
    const run = await newRun({ h, names });
    if (override) {
      await h.ctx.store.updateRun({
        runId: run.runId,
        update: (r) => ({
          ...r,
          nodes: r.nodes.map((n) => (n.name === 'd1' ? { ...n, replicationPort: override.d1Port } : n)),
        }),
      });
    }
    await step({ h, runId: run.runId, id: 'nodes' });
    if ((await step({ h, runId: run.runId, id: 'preflight' })).status !== 'done')
      await applyPreflightFixes({ ctx: h.ctx, runId: run.runId });
    expect((await step({ h, runId: run.runId, id: 'user' })).status).toBe('done');
    expect((await step({ h, runId: run.runId, id: 'data', mode: 'copy' })).status).toBe('done');
    return run.runId;
  }

  it('a wrong replication password: error 1045 explained, the reverse direction untouched', async () => {
    const runId = await upToData(['d1', 'd2']);
    // Someone changes the account's password behind the wizard's back.
    await q(
      'd1',
      "SET sql_log_bin = 0; ALTER USER 'sipha_repl'@'127.0.0.1' IDENTIFIED BY 'changed-elsewhere'",
    );
    const s = await step({ h, runId, id: 'directions' });
    expect(s.status).toBe('failed');
    expect(s.message).toMatch(/d2 could not replicate from d1: error 1045/);
    expect(s.message).toMatch(/no further direction was set up/);
    expect(s.advice?.title).toBe('Replication login refused');
    expect(s.advice?.meaning).toMatch(/wrong password/);
    expect(JSON.stringify(s)).not.toContain('changed-elsewhere');
    const [d2] = await q('d2', 'SHOW SLAVE STATUS');
    expect([d2.Slave_IO_Running, d2.Slave_SQL_Running]).toEqual(['No', 'No']);
    expect(await q('d1', 'SHOW SLAVE STATUS')).toEqual([]);
    await teardown({ ctx: h.ctx, runId });
  });

  it('an unreachable peer: the IO thread error and its meaning', async () => {
    const closed = await freePort();
    const runId = await upToData(['d1', 'd2'], { d1Port: closed });
    const s = await step({ h, runId, id: 'directions' });
    expect(s.status).toBe('failed');
    expect(s.message).toMatch(/d2 could not replicate from d1: error 2003/);
    expect(s.advice?.meaning).toMatch(/d2|connect|reach/i);
    expect(s.log.some((l) => l.sql.includes(`MASTER_PORT = ${closed}`))).toBe(true);
    expect(await q('d1', 'SHOW SLAVE STATUS')).toEqual([]);
    await teardown({ ctx: h.ctx, runId });
  });

  it('a console restart mid-step: the step shows as interrupted, the run resumes there, re-running works', async () => {
    const run = await newRun({ h, names: ['d1', 'd2'] });
    await step({ h, runId: run.runId, id: 'nodes' });
    // Another console process runs preflight and still reports: shown running, not run here.
    await h.ctx.store.updateStep({
      runId: run.runId,
      step: 'preflight',
      update: (s) => ({
        ...s,
        status: 'running',
        owner: 'lab2:4242:abcdef',
        startedAt: new Date().toISOString(),
      }),
    });
    expect(present((await h.ctx.store.get(run.runId))!).steps.preflight.status).toBe('running');
    await expect(step({ h, runId: run.runId, id: 'preflight' })).rejects.toThrow(
      /Another console process \(process 4242 on lab2\) runs this job \(it reported \d+ s ago\)/,
    );
    expect(await interruptedJobs({ store: tableStore(h.list), kind: 'wizard' })).toEqual([]);
    // That console died: its row has been quiet for longer than STALE_MS.
    await q(
      'd1',
      `UPDATE kamailio.sipha_job SET updated_at = NOW(3) - INTERVAL 30 SECOND WHERE job_id = '${run.runId}'`,
    );
    const after = present((await h.ctx.store.get(run.runId))!);
    expect(after.currentStep).toBe('preflight');
    expect(after.steps.preflight.status).toBe('interrupted');
    expect(after.steps.nodes.status).toBe('done');
    // Found the way every job kind's interruption is found (the restore's too).
    const jobs = tableStore(h.list);
    const found = await interruptedJobs({ store: jobs, kind: 'wizard' });
    expect(found.map((j) => [j.jobId, j.step, j.owner])).toEqual([
      [run.runId, 'preflight', 'lab2:4242:abcdef'],
    ]);
    const again = await step({ h, runId: run.runId, id: 'preflight' });
    expect(['done', 'failed']).toContain(again.status);
    expect(again.result.checks.length).toBeGreaterThan(10);
    expect(await interruptedJobs({ store: jobs, kind: 'wizard' })).toEqual([]);
    expect(
      h.audits.filter((a) => a.action === 'wizard.preflight' && a.target === `run ${run.runId}`),
    ).toHaveLength(1);
  });
});
