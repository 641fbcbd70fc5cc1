import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery } from '../../lab/index';
import { applyPreflightFixes, previewStep, teardown } from '../../lib/wizard/operations';
import { recallPassword } from '../../lib/wizard/secrets';
import { useLab } from '../helpers/lab';
import { localWriter, newRun, step, type WizardHarness, wizardHarness } from '../helpers/wizard';

// The wizard's steps against a fresh lab (the paper's Appendix A starting point): nodes not
// replicating, Kamailio schema and 100 users on d1 only, GTID domains and auto_increment at
// their defaults. At the end both directions replicate and the run is finished.

describe('replication wizard on a fresh pair', () => {
  const lab = useLab({ nodes: 2, fresh: true, sip: false });
  let h: WizardHarness;
  let runId: string;
  let writers: { stop: () => Promise<number> }[] = [];
  const q = (node: string, sql: string, params?: unknown[]) => adminQuery(lab().dir, node, sql, params);

  beforeAll(async () => {
    h = await wizardHarness({ state: lab().state });
    runId = (await newRun({ h, names: ['d1', 'd2'] })).runId;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('connects to both nodes and detects MariaDB', async () => {
    const s = await step({ h, runId, id: 'nodes' });
    expect(s.status).toBe('done');
    expect(s.result.nodes.map((n) => n.flavor)).toEqual(['mariadb', 'mariadb']);
    expect(s.result.topology).toBe('pair');
  });

  it('preflight finds the fresh lab defaults, Apply fixes them', async () => {
    const s = await step({ h, runId, id: 'preflight' });
    expect(s.status).toBe('failed');
    const failing = s.result.checks
      .filter((c: { ok: boolean }) => !c.ok)
      .map((c: { node: string; id: string }) => `${c.node}:${c.id}`);
    expect(failing).toEqual(
      expect.arrayContaining(['d1:gtid', 'd2:gtid', 'd1:auto_increment', 'd2:auto_increment']),
    );
    expect(failing).not.toContain('d1:server_id');
    expect(failing).not.toContain('d1:log_bin');
    const gtid = s.result.checks.find((c) => c.node === 'd2' && c.id === 'gtid')!;
    expect(gtid.apply).toEqual(['SET GLOBAL gtid_domain_id = 2']);
    expect(gtid.myCnf).toContain('gtid_domain_id = 2');
    expect(gtid.myCnf).toContain('log_bin = mysql-bin'); // keeps the binlog's current name

    const { applied } = await applyPreflightFixes({ ctx: h.ctx, runId });
    expect(applied).toBeGreaterThanOrEqual(4);
    const run = await h.ctx.store.get(runId);
    expect(run?.steps.preflight.status).toBe('done');
    const [v] = await q(
      'd2',
      'SELECT @@gtid_domain_id AS d, @@auto_increment_increment AS i, @@auto_increment_offset AS o',
    );
    expect(v).toEqual({ d: 2, i: 2, o: 2 });
  });

  it('shows the statements of a step before it runs, secrets masked', async () => {
    const p = await previewStep({ ctx: h.ctx, runId, step: 'user' });
    const sql = p.log.map((l) => l.sql).join('\n');
    expect(sql).toContain("CREATE USER IF NOT EXISTS 'sipha_repl'@'127.0.0.1' IDENTIFIED BY '********'");
    expect(sql).toContain("GRANT REPLICATION SLAVE ON *.* TO 'sipha_repl'@'127.0.0.1'");
    const [u] = await q('d1', "SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'sipha_repl'");
    expect(u.n).toBe(0); // a preview changes nothing
  });

  it('creates the replication accounts with REPLICATION SLAVE only', async () => {
    const s = await step({ h, runId, id: 'user' });
    expect(s.status).toBe('done');
    const grants = await q('d1', "SHOW GRANTS FOR 'sipha_repl'@'127.0.0.1'");
    const text = grants.map((g) => Object.values(g)[0]).join('\n');
    expect(text).toMatch(/GRANT REPLICATION SLAVE ON \*\.\* TO `sipha_repl`@`127\.0\.0\.1`/);
    expect(text).not.toMatch(/SELECT|SUPER|ALL PRIVILEGES/);
    // not replicated into the peer's binlog: accounts are per node
    const [b] = await q('d1', 'SELECT @@gtid_binlog_pos AS p');
    expect(String(b.p)).not.toMatch(/(^|,)1-1-/);
  });

  it('copies d1 to d2 in one consistent snapshot and records the position', async () => {
    // Both nodes write locally all the time, like the console's heartbeat does.
    writers = ['d1', 'd2'].map((node) => localWriter({ dir: lab().dir, node }));
    const s = await step({ h, runId, id: 'data', mode: 'copy' });
    expect(s.status).toBe('done');
    const copy = s.result.copies[0]!;
    expect(copy.position.file).toMatch(/^mysql-bin\.\d+$/);
    expect(copy.position.gtid).toMatch(/(^|,)0-1-\d+/); // the seed, written before the domains were set
    expect(copy.tables.find((t) => t.name === 'subscriber')!.rows).toBe(100);
    const [n] = await q('d2', 'SELECT COUNT(*) AS n FROM kamailio.subscriber');
    expect(n.n).toBe(100);
    const [pos] = await q('d2', 'SELECT @@gtid_slave_pos AS p');
    expect(String(pos.p).split(',').sort()).toEqual(copy.position.gtid.split(',').sort());
    // the copy did not go into d2's binlog (it would come back to d1)
    // only d2's own local writes are in its binlog; d1 reads them from where the copy ended
    const [bl] = await q('d2', 'SELECT @@gtid_binlog_pos AS p');
    expect(String(bl.p)).toMatch(/^(2-2-\d+)?$/);
    expect(s.result.closing!.gtid).toMatch(/^(2-2-\d+)?$/);
    expect(s.progress?.done).toBe(s.progress?.total);
  });

  it('sets up both directions and both threads run', async () => {
    const s = await step({ h, runId, id: 'directions' });
    expect(s.status, s.message).toBe('done');
    expect(s.result.links).toEqual([
      { replica: 'd2', source: 'd1', io: 'Yes', sql: true },
      { replica: 'd1', source: 'd2', io: 'Yes', sql: true },
    ]);
    const changeMaster = s.log.filter((l) => l.sql.startsWith('CHANGE MASTER'));
    expect(changeMaster).toHaveLength(2);
    for (const l of changeMaster) expect(l.sql).toContain("MASTER_PASSWORD = '********'");
  });

  it('replicates a subscriber each way', async () => {
    await q(
      'd1',
      "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('from-d1', 'lab.sipha.test', '', 'x', 'y')",
    );
    await q(
      'd2',
      "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('from-d2', 'lab.sipha.test', '', 'x', 'y')",
    );
    for (const [node, user] of [
      ['d2', 'from-d1'],
      ['d1', 'from-d2'],
    ] as const) {
      await expect
        .poll(
          async () =>
            (await q(node, 'SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = ?', [user]))[0].n,
          { timeout: 10_000 },
        )
        .toBe(1);
    }
  });

  it('local writes on both nodes during the copy all arrived everywhere', async () => {
    for (const w of writers) expect(await w.stop()).toBeGreaterThan(0);
    const rows = (node: string) => q(node, 'SELECT node, seq FROM kamailio.sipha_heartbeat ORDER BY node');
    await expect
      .poll(async () => JSON.stringify(await rows('d1')), { timeout: 10_000 })
      .toBe(JSON.stringify(await rows('d2')));
    expect((await rows('d1')).map((r) => r.node)).toEqual(['d1', 'd2']);
  });

  it('verifies with probe rows and equal subscriber checksums', async () => {
    const s = await step({ h, runId, id: 'verify' });
    expect(s.status, s.message).toBe('done');
    expect(s.result.probes).toHaveLength(2);
    for (const p of s.result.probes) expect(p.delayMs).toBeGreaterThanOrEqual(0);
    const sums = Object.values(s.result.checksums);
    expect(sums).toHaveLength(2);
    expect(sums[0]).toBe(sums[1]);
  });

  it('re-running a step is safe: running links are left as they are', async () => {
    const s = await step({ h, runId, id: 'directions' });
    expect(s.status).toBe('done');
    expect(s.result.links.map((l: { skipped?: boolean }) => l.skipped)).toEqual([true, true]);
    expect(s.log.filter((l) => l.outcome === 'ok' && !l.sql.startsWith('--'))).toEqual([]);
  });

  it('hardens and finishes the run', async () => {
    await q('d2', "SET sql_log_bin = 0; CREATE USER ''@'localhost'; SET sql_log_bin = 1");
    const s = await step({ h, runId, id: 'harden' });
    expect(s.status).toBe('done');
    expect(s.result.removed).toEqual(["d2: ''@'localhost'"]);
    expect((await h.ctx.store.get(runId))?.status).toBe('finished');
    // replication still healthy after the DROP USER (it was not replicated)
    const [st] = await q('d1', 'SHOW SLAVE STATUS');
    expect([st.Slave_IO_Running, st.Slave_SQL_Running, st.Last_SQL_Errno]).toEqual(['Yes', 'Yes', 0]);
  });

  it('never stores or audits the replication password', async () => {
    const pw = recallPassword({ runId, source: 'd1', replica: 'd2' });
    expect(pw).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const state = JSON.stringify(await h.ctx.store.get(runId));
    const audit = JSON.stringify(h.audits);
    expect(state).not.toContain(pw);
    expect(audit).not.toContain(pw);
    expect(h.audits.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'wizard.create',
        'wizard.nodes',
        'wizard.preflight',
        'wizard.preflight.apply',
        'wizard.user',
        'wizard.data',
        'wizard.directions',
        'wizard.verify',
        'wizard.harden',
      ]),
    );
  });

  it('tears down replication for a clean retry', async () => {
    const log = await teardown({ ctx: h.ctx, runId });
    expect(log.map((l) => `${l.node}: ${l.sql}`)).toEqual([
      'd1: STOP SLAVE',
      'd1: RESET SLAVE ALL',
      'd2: STOP SLAVE',
      'd2: RESET SLAVE ALL',
    ]);
    expect(await q('d1', 'SHOW SLAVE STATUS')).toEqual([]);
    expect(await q('d2', 'SHOW SLAVE STATUS')).toEqual([]);
    const run = await h.ctx.store.get(runId);
    expect(run?.currentStep).toBe('data');
  });
});

describe('replication wizard: the "already identical" path after a tear-down', () => {
  const lab = useLab({ nodes: 2, fresh: true, sip: false });
  let h: WizardHarness;
  let runId: string;
  const q = (node: string, sql: string, params?: unknown[]) => adminQuery(lab().dir, node, sql, params);

  beforeAll(async () => {
    h = await wizardHarness({ state: lab().state });
    runId = (await newRun({ h, names: ['d1', 'd2'] })).runId;
    await step({ h, runId, id: 'nodes' });
    await step({ h, runId, id: 'preflight' });
    await applyPreflightFixes({ ctx: h.ctx, runId });
    await step({ h, runId, id: 'user' });
    expect((await step({ h, runId, id: 'data', mode: 'copy' })).status).toBe('done');
    expect((await step({ h, runId, id: 'directions' })).status).toBe('done');
    await teardown({ ctx: h.ctx, runId });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses when the SIP tables differ, naming them, and changes nothing', async () => {
    await q(
      'd2',
      "SET sql_log_bin = 0; INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('only-on-d2', 'lab.sipha.test', '', 'x', 'y'); SET sql_log_bin = 1",
    );
    const s = await step({ h, runId, id: 'data', mode: 'identical' });
    expect(s.status).toBe('failed');
    expect(s.message).toMatch(/Before the snapshot: subscriber differ between d1 and d2 \(CHECKSUM TABLE\)/);
    expect(s.log.filter((l) => l.outcome === 'ok' && /^(SET GLOBAL|CREATE|DROP|LOCK)/.test(l.sql))).toEqual(
      [],
    );
    await q(
      'd2',
      "SET sql_log_bin = 0; DELETE FROM kamailio.subscriber WHERE username = 'only-on-d2'; SET sql_log_bin = 1",
    );
  });

  it('accepts identical data, copies only sipha tables, and replication resumes both ways', async () => {
    const s = await step({ h, runId, id: 'data', mode: 'identical' });
    expect(s.status, s.message).toBe('done');
    const names = s.result.copies[0]!.tables.map((t) => t.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n: string) => n.startsWith('sipha_'))).toBe(true);
    expect((await step({ h, runId, id: 'directions' })).status).toBe('done');
    const v = await step({ h, runId, id: 'verify' });
    expect(v.status, v.message).toBe('done');
  });
});
