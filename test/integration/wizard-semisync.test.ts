import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Summary } from '../../components/replication/summary';
import { adminQuery } from '../../lab/index';
import { runDirectionsStep } from '../../lib/wizard/directions';
import { createIO } from '../../lib/wizard/io';
import { applyPreflightFixes } from '../../lib/wizard/operations';
import { semiSyncSummary } from '../../lib/wizard/semisync-summary';
import { runVerifyStep } from '../../lib/wizard/verify';
import { useLab } from '../helpers/lab';
import { newRun, step, type WizardHarness, wizardHarness } from '../helpers/wizard';

// A fresh lab has no semi-sync at all: after the wizard the pair must be lossless semi-sync
// (a commit on one node returns only once the other has it), proven by the servers' own
// status counters, and the summary must say so — or warn when it is not.

describe('replication wizard: lossless semi-sync on a fresh pair', () => {
  const lab = useLab({ nodes: 2, fresh: true, sip: false });
  let h: WizardHarness;
  let runId: string;
  const q = (node: string, sql: string, params?: unknown[]) => adminQuery(lab().dir, node, sql, params);
  const status = async (node: string) => {
    const rows = await q(node, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'");
    return Object.fromEntries(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
  };
  const checkOf = (checks: { node: string; id: string }[], node: string) =>
    checks.find((c) => c.node === node && c.id === 'semisync') as unknown as {
      ok: boolean;
      severity: string;
      reason: string;
      apply?: string[];
      myCnf?: string;
    };

  beforeAll(async () => {
    h = await wizardHarness({ state: lab().state });
    runId = (await newRun({ h, names: ['d1', 'd2'] })).runId;
    expect((await step({ h, runId, id: 'nodes' })).status).toBe('done');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('preflight recommends semi-sync with the reason, the Apply statements and the my.cnf lines', async () => {
    const s = await step({ h, runId, id: 'preflight' });
    for (const node of ['d1', 'd2']) {
      const c = checkOf(s.result.checks, node);
      expect(c.ok).toBe(false);
      expect(c.severity).toBe('warning'); // recommended, not blocking
      expect(c.reason).toMatch(/asynchronous, so a write the console reported saved on d\d is lost/);
      expect(c.apply).toEqual([
        'SET GLOBAL rpl_semi_sync_master_timeout = 1000',
        'SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC',
        'SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF',
        'SET GLOBAL rpl_semi_sync_slave_enabled = ON',
        'SET GLOBAL rpl_semi_sync_master_enabled = ON',
      ]);
      expect(c.myCnf).toContain('rpl_semi_sync_master_enabled = ON');
      expect(c.myCnf).toContain('rpl_semi_sync_master_wait_point = AFTER_SYNC');
    }
    // Not among the blocking failures.
    expect(s.message ?? '').not.toMatch(/semi/i);
  });

  it('Apply turns it on for real on both nodes, and the check passes', async () => {
    await applyPreflightFixes({ ctx: h.ctx, runId });
    for (const node of ['d1', 'd2']) {
      const [v] = await q(
        node,
        'SELECT @@rpl_semi_sync_master_enabled AS m, @@rpl_semi_sync_slave_enabled AS s, ' +
          '@@rpl_semi_sync_master_wait_point AS wp, @@rpl_semi_sync_master_wait_no_slave AS wns, ' +
          '@@rpl_semi_sync_master_timeout AS t',
      );
      expect(v).toEqual({ m: 1, s: 1, wp: 'AFTER_SYNC', wns: 0, t: 1000 });
    }
    const run = await h.ctx.store.get(runId);
    expect(run?.steps.preflight.status).toBe('done');
    for (const node of ['d1', 'd2']) expect(checkOf(run!.steps.preflight.result!.checks, node).ok).toBe(true);
  });

  it('both directions restart each IO thread, and each source then has one semi-sync replica', async () => {
    expect((await step({ h, runId, id: 'user' })).status).toBe('done');
    expect((await step({ h, runId, id: 'data', mode: 'copy' })).status).toBe('done');
    const s = await step({ h, runId, id: 'directions' });
    expect(s.status, s.message).toBe('done');
    const sent = s.log.filter((l) => l.outcome === 'ok' && !l.sql.startsWith('--'));
    for (const node of ['d1', 'd2']) {
      const mine = sent.filter((l) => l.node === node).map((l) => l.sql);
      expect(mine.slice(mine.indexOf('START SLAVE'))).toEqual([
        'START SLAVE',
        'STOP SLAVE IO_THREAD',
        'START SLAVE IO_THREAD',
      ]);
    }
    for (const node of ['d1', 'd2']) {
      await expect.poll(async () => (await status(node)).Rpl_semi_sync_slave_status).toBe('ON');
    }
  });

  it('verify reports semi-sync active with one client on each source, as the servers do', async () => {
    const s = await step({ h, runId, id: 'verify' });
    expect(s.status, s.message).toBe('done');
    expect(
      s.result.semiSync.map((x: { node: string; status: boolean; clients: number; ok: boolean }) => [
        x.node,
        x.status,
        x.clients,
        x.ok,
      ]),
    ).toEqual([
      ['d1', true, 1, true],
      ['d2', true, 1, true],
    ]);
    for (const node of ['d1', 'd2']) {
      const st = await status(node);
      expect([st.Rpl_semi_sync_master_status, st.Rpl_semi_sync_master_clients]).toEqual(['ON', '1']);
    }
  });

  it('a commit on d1 is acknowledged semi-synchronously by d2', async () => {
    const before = await status('d1');
    await q(
      'd1',
      "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('semi-d1', 'lab.sipha.test', '', 'x', 'y')",
    );
    const after = await status('d1');
    expect(Number(after.Rpl_semi_sync_master_yes_tx)).toBe(Number(before.Rpl_semi_sync_master_yes_tx) + 1);
    expect(after.Rpl_semi_sync_master_no_tx).toBe(before.Rpl_semi_sync_master_no_tx);
    // AFTER_SYNC: the row was on d2 (in its relay log) before the INSERT returned.
    await expect
      .poll(
        async () =>
          (await q('d2', "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'semi-d1'"))[0]!.n,
      )
      .toBe(1);
  });

  it('the summary says lossless semi-sync is on', async () => {
    expect((await step({ h, runId, id: 'harden' })).status).toBe('done');
    const run = (await h.ctx.store.get(runId))!;
    expect(run.status).toBe('finished');
    const summary = semiSyncSummary(run.steps.verify.result!.semiSync);
    expect(summary.ok).toBe(true);
    expect(summary.text).toMatch(
      /^Lossless semi-sync: on \(d1: 1 acknowledging replica, d2: 1 acknowledging replica\)/,
    );
    const html = renderToStaticMarkup(createElement(Summary, { run }));
    expect(html).toContain('Lossless semi-sync: on');
    expect(html).not.toContain('Warning');
  });

  it('a replica that stops acknowledging makes verify warn, naming the source', async () => {
    await q(
      'd2',
      'SET GLOBAL rpl_semi_sync_slave_enabled = OFF; STOP SLAVE IO_THREAD; START SLAVE IO_THREAD',
    );
    await expect.poll(async () => (await status('d1')).Rpl_semi_sync_master_clients).toBe('0');
    const run = (await h.ctx.store.get(runId))!;
    const r = await runVerifyStep({ ctx: h.ctx, run, io: createIO({ dryRun: false }) });
    expect(r.semiSync.find((x) => x.node === 'd1')).toMatchObject({ clients: 0, ok: false });
    expect(r.semiSync.find((x) => x.node === 'd2')).toMatchObject({ clients: 1, ok: true });
    const summary = semiSyncSummary(r.semiSync);
    expect(summary.ok).toBe(false);
    expect(summary.text).toMatch(/^Warning: lossless semi-sync is not active on d1 \(/);
    const html = renderToStaticMarkup(
      createElement(Summary, {
        run: { ...run, steps: { ...run.steps, verify: { ...run.steps.verify, result: r } } },
      }),
    );
    expect(html).toContain('Warning: lossless semi-sync is not active on d1');
  });

  it('re-running Both directions re-registers a running replica that had semi-sync turned on later', async () => {
    await q('d2', 'SET GLOBAL rpl_semi_sync_slave_enabled = ON'); // the running IO thread ignores it
    expect((await status('d2')).Rpl_semi_sync_slave_status).toBe('OFF');
    const run = (await h.ctx.store.get(runId))!;
    const io = createIO({ dryRun: false });
    const r = await runDirectionsStep({ ctx: h.ctx, run, io });
    expect(r.links.map((l) => l.skipped)).toEqual([true, true]);
    const sent = io.log
      .filter((l) => l.outcome === 'ok' && !l.sql.startsWith('--'))
      .map((l) => `${l.node}: ${l.sql}`);
    // Only d2's IO thread is touched; d1's link already acknowledges.
    expect(sent).toEqual(['d2: STOP SLAVE IO_THREAD', 'd2: START SLAVE IO_THREAD']);
    await expect.poll(async () => (await status('d1')).Rpl_semi_sync_master_clients).toBe('1');
    const again = createIO({ dryRun: false });
    await runDirectionsStep({ ctx: h.ctx, run, io: again });
    expect(again.log.filter((l) => l.outcome === 'ok' && !l.sql.startsWith('--'))).toEqual([]);
  });
});
