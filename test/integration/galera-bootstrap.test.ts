import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idle } from '@/lib/action-state';
import { getConnectionList } from '@/lib/db';
import { getBootstrapPreflight } from '@/lib/galera/bootstrap';
import { getGaleraHealth } from '@/lib/galera/health';
import { jobDone } from '@/lib/galera/job';
import { getGaleraOverview } from '@/lib/galera/overview';
import { adminQuery, signal } from '../../lab/index.ts';
import { actAs } from '../helpers/as-role';
import { waitFor, wsrep } from '../helpers/galera';
import { useLab } from '../helpers/lab';

// A new Galera cluster formed from the console: three nodes configured but never started as a
// cluster (`up --engine galera --no-bootstrap`: d1 a plain server holding the console's tables),
// bootstrapped through the /galera page's server action, as an admin.

describe('Galera bootstrap from the console', () => {
  const lab = useLab({ engine: 'galera', nodes: 3, sip: false, bootstrap: false });
  const cnf = () => join(lab().dir, 'd3', 'my.cnf');

  beforeAll(() => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
  });
  afterAll(async () => {
    await (await getConnectionList()).close();
  });

  const logOf = (steps: { kind: string; text: string }[]) =>
    steps.map((s) => `${s.kind}: ${s.text}`).join('\n');
  const bootstrap = async () => {
    const { galeraOperationAction } = await import('@/app/(console)/galera/actions');
    return actAs('admin', '/galera', galeraOperationAction, idle, { op: 'bootstrap', confirm: 'yes' });
  };

  it('keeps the console on the plain d1 and says the nodes form no cluster yet', async () => {
    await waitFor('d1 chosen as the writer', async () => (await getGaleraHealth()).writer === 'd1', 15_000);
    const h = await getGaleraHealth();
    expect(h.nodes.map((n) => n.status)).toEqual([null, null, null]);
    expect(h.problems.map((p) => `${p.node}:${p.code}`)).toEqual([
      'd1:standalone',
      'd2:unreachable',
      'd3:unreachable',
    ]);
    const pf = await getBootstrapPreflight();
    expect(pf.items.filter((i) => !i.ok)).toEqual([]);
    expect(pf.items.map((i) => `${i.node} ${i.setting}`)).toEqual(
      expect.arrayContaining([
        'd3 wsrep_sst_auth',
        'd2 cluster membership',
        `d2 gcomm port 127.0.0.1:${lab().state.galera!.ports.d2!.gcomm}`,
        'd1 SST account',
      ]),
    );
    // The SST password is never a preflight value.
    expect(JSON.stringify(pf)).not.toContain(lab().state.db.sst!.password);
  });

  it('refuses with the failing items when a node lacks a setting, and changes nothing', async () => {
    const good = readFileSync(cnf(), 'utf8');
    writeFileSync(cnf(), good.replace(/^wsrep_sst_auth=.*\n/m, ''));
    try {
      expect(await bootstrap()).toMatchObject({ status: 'saved' });
      const job = await jobDone(60_000);
      expect(job.outcome).toBe('failed');
      expect(job.steps.at(-1)?.text).toMatch(
        /^Refused, nothing was changed: d3: wsrep_sst_auth is empty, needs user:password of the SST account/,
      );
      expect(logOf(job.steps)).not.toMatch(/^(sql|command):/m);
    } finally {
      writeFileSync(cnf(), good);
    }
    expect((await getGaleraHealth()).writer).toBe('d1');
    const [audit] = await adminQuery(
      lab().dir,
      'd1',
      "SELECT outcome FROM kamailio.sipha_audit WHERE action = 'galera.bootstrap' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toEqual({ outcome: 'failed' });
  });

  it('bootstraps d1, creates the schemas, and joins d2 and d3 one at a time with their transfer progress', async () => {
    // Something the console stored on the plain d1 before the cluster existed.
    const before = await adminQuery(lab().dir, 'd1', 'SELECT COUNT(*) AS n FROM kamailio.sipha_account');
    expect(await bootstrap()).toMatchObject({ status: 'saved' });
    const job = await jobDone(600_000);
    const log = logOf(job.steps);
    expect(job.outcome, log).toBe('ok');
    expect(job.steps.at(-1)?.text).toMatch(
      /^New cluster of 3 formed from d1 in [\d.]+ s; d1, d2, d3 Synced\.$/,
    );
    // In this order, each shown before it ran.
    const order = [
      /^info: Preflight passed/m,
      /^sql: d1: SHUTDOWN$/m,
      /^command: d1: .*galera-ctl\.ts \S+ d1 bootstrap$/m,
      /^sql: d1: CREATE TABLE `version`/m,
      /^sql: d1: the console's own tables/m,
      /^command: d2: .*galera-ctl\.ts \S+ d2 start$/m,
      /^wait: d2: Synced \/ Primary/m,
      /^command: d3: .*galera-ctl\.ts \S+ d3 start$/m,
    ].map((re) => log.search(re));
    expect(
      order.every((i) => i >= 0),
      log,
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(log).toMatch(
      /^wait: d[23]: (SST|IST|state transfer|catch-up) .*(wsrep_status_file|wsrep_last_committed)/m,
    );
    for (const node of ['d1', 'd2', 'd3']) {
      const s = await wsrep(lab().dir, node);
      expect([s.wsrep_cluster_size, s.wsrep_cluster_status, s.wsrep_local_state_comment]).toEqual([
        '3',
        'Primary',
        'Synced',
      ]);
    }
    // Kamailio's schema and the console's rows reached the last joiner by SST.
    const tables = await adminQuery<{ t: string }>(
      lab().dir,
      'd3',
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'kamailio' AND table_name IN ('version', 'subscriber', 'location') ORDER BY t",
    );
    expect(tables.map((r) => r.t)).toEqual(['location', 'subscriber', 'version']);
    expect(await adminQuery(lab().dir, 'd3', 'SELECT COUNT(*) AS n FROM kamailio.sipha_account')).toEqual(
      before,
    );
    await waitFor(
      'every node writable',
      async () => (await getGaleraHealth()).nodes.every((n) => n.writable),
      15_000,
    );
    const [audit] = await adminQuery(
      lab().dir,
      'd3',
      "SELECT outcome, actor FROM kamailio.sipha_audit WHERE action = 'galera.bootstrap' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toEqual({ outcome: 'ok', actor: expect.stringMatching(/it-admin/) });
  });

  it('refuses to bootstrap again, naming the running cluster as the evidence', async () => {
    const seqno = (await wsrep(lab().dir, 'd2')).wsrep_cluster_conf_id;
    expect(await bootstrap()).toMatchObject({ status: 'saved' });
    const job = await jobDone(60_000);
    expect(job.outcome).toBe('failed');
    expect(job.steps.at(-1)?.text).toMatch(
      /d1: cluster membership is Synced in a Primary component of 3 \(state [0-9a-f-]+, seqno \d+\): it belongs to a running cluster/,
    );
    expect(job.steps.at(-1)?.text).toMatch(/d1: gcomm port 127\.0\.0\.1:\d+ is in use/);
    // No view change: nothing was stopped or started.
    expect((await wsrep(lab().dir, 'd2')).wsrep_cluster_conf_id).toBe(seqno);
  });

  it('lets the admin signed in before a full outage recover it through the page, in Galera words', async () => {
    const recover = async () => {
      const { galeraOperationAction } = await import('@/app/(console)/galera/actions');
      return actAs('admin', '/galera', galeraOperationAction, idle, { op: 'recover', confirm: 'yes' });
    };
    for (const n of ['d1', 'd2', 'd3']) await signal(lab().dir, n, 'kill');
    await waitFor('no writer', async () => (await getGaleraHealth()).writer === null, 20_000);
    const o = await getGaleraOverview();
    expect(o?.failover).toMatchObject({ severity: 'down' });
    expect(o?.failover?.words).toMatch(
      /^No Galera node takes writes: none is Synced in a primary component; d1 does not answer/,
    );
    // No node answers: the session this process verified before is what lets the admin in.
    expect(await recover()).toMatchObject({ status: 'saved' });
    const job = await jobDone(600_000);
    expect(job.outcome, logOf(job.steps)).toBe('ok');
    expect(job.steps.at(-1)?.text).toMatch(/^Cluster recovered from d\d \(seqno \d+\)/);
    await waitFor(
      'every node writable',
      async () => (await getGaleraHealth()).nodes.every((n) => n.writable),
      30_000,
    );
    await waitFor('writes back on d1', async () => (await getGaleraOverview())?.failover === null, 15_000);
  });
});
