import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery } from '../../lab/index';
import { applyPreflightFixes } from '../../lib/wizard/operations';
import { useLab } from '../helpers/lab';
import { localWriter, newRun, step, type WizardHarness, wizardHarness } from '../helpers/wizard';

// --nodes 3: the same wizard functions the browser drives, set up as a ring d1 → d2 → d3 → d1
// (the browser run of the pair is in e2e/wizard.spec.ts; a three-node browser run would only
// repeat it at three times the cost on these shared machines).

describe('replication wizard on a fresh ring of three', () => {
  const lab = useLab({ nodes: 3, fresh: true, sip: false });
  let h: WizardHarness;
  let runId: string;
  let writers: { stop: () => Promise<number> }[] = [];
  const q = (node: string, sql: string, params?: unknown[]) => adminQuery(lab().dir, node, sql, params);

  beforeAll(async () => {
    h = await wizardHarness({ state: lab().state });
    runId = (await newRun({ h, names: ['d1', 'd2', 'd3'] })).runId;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs every step and links the ring', async () => {
    expect((await step({ h, runId, id: 'nodes' })).result.topology).toBe('ring');
    expect((await step({ h, runId, id: 'preflight' })).status).toBe('failed');
    await applyPreflightFixes({ ctx: h.ctx, runId });
    expect((await h.ctx.store.get(runId))?.steps.preflight.status).toBe('done');
    const [ai] = await q(
      'd3',
      'SELECT @@auto_increment_increment AS i, @@auto_increment_offset AS o, @@gtid_domain_id AS d',
    );
    expect(ai).toEqual({ i: 3, o: 3, d: 3 });
    expect((await step({ h, runId, id: 'user' })).status).toBe('done');
    // d2 and d3 write locally all along, like the console's heartbeat does.
    writers = ['d1', 'd2', 'd3'].map((node) => localWriter({ dir: lab().dir, node }));
    const data = await step({ h, runId, id: 'data', mode: 'copy' });
    expect(data.status, data.message).toBe('done');
    expect(
      data.result.copies.map((c: { source: string; target: string }) => `${c.source}>${c.target}`),
    ).toEqual(['d1>d2', 'd1>d3']);
    const dir = await step({ h, runId, id: 'directions' });
    expect(dir.status, dir.message).toBe('done');
    expect(
      dir.result.links.map((l: { replica: string; source: string }) => `${l.source}>${l.replica}`),
    ).toEqual(['d1>d2', 'd2>d3', 'd3>d1']);
  });

  it('a write on any node reaches the other two', async () => {
    for (const node of ['d1', 'd2', 'd3']) {
      await q(
        node,
        "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES (?, 'lab.sipha.test', '', 'x', 'y')",
        [`ring-${node}`],
      );
    }
    for (const node of ['d1', 'd2', 'd3']) {
      await expect
        .poll(
          async () =>
            (await q(node, "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'ring-%'"))[0]
              .n,
          { timeout: 10_000 },
        )
        .toBe(3);
    }
  });

  it('verifies six probe paths and equal checksums, then finishes', async () => {
    const v = await step({ h, runId, id: 'verify' });
    expect(v.status, v.message).toBe('done');
    expect(v.result.probes).toHaveLength(6);
    expect(new Set(Object.values(v.result.checksums)).size).toBe(1);
    expect((await step({ h, runId, id: 'harden' })).status).toBe('done');
    for (const w of writers) expect(await w.stop()).toBeGreaterThan(0);
    // Every node's local rows reached every other node, and nothing stopped replication.
    const rows = (node: string) => q(node, 'SELECT node, seq FROM kamailio.sipha_heartbeat ORDER BY node');
    await expect
      .poll(async () => JSON.stringify(await rows('d1')), { timeout: 10_000 })
      .toBe(JSON.stringify(await rows('d2')));
    await expect
      .poll(async () => JSON.stringify(await rows('d3')), { timeout: 10_000 })
      .toBe(JSON.stringify(await rows('d2')));
    expect((await rows('d1')).map((r) => r.node)).toEqual(['d1', 'd2', 'd3']);
    for (const node of ['d1', 'd2', 'd3']) {
      const [s] = await q(node, 'SHOW SLAVE STATUS');
      expect([s.Slave_IO_Running, s.Slave_SQL_Running, s.Last_Errno, s.Last_IO_Errno]).toEqual([
        'Yes',
        'Yes',
        0,
        0,
      ]);
    }
  });
});
