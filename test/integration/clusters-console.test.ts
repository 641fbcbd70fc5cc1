import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, register, seedUsers, signal } from '@/lab/index';
import { idle } from '@/lib/action-state';
import { AppError } from '@/lib/errors';
import { actAs } from '../helpers/as-role';
import { type Lab, useLab } from '../helpers/lab';

// One console over two clusters (issue 14): c1 = d1/d2 with p1/p2, c2 = d3/d4 with p3/p4. Health,
// overview and /metrics show both clusters' nodes and SIP servers with their cluster;
// registrations span both and say whose; fence, restore and the wizard act on the cluster asked
// for (or the node's own) and refuse an unknown one with nothing changed. Last, with both of c2's
// nodes killed, registrations and users of c1 are still listed and c2 is named unavailable.

let lab: () => Lab;
let token: string;
const admin = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

const c1Users = seedUsers(100).slice(0, 3); // user1000..: c1 by the lab's shard map
const c2Users = seedUsers(100).slice(60, 63); // user1060..: c2

async function auditRows(action: string): Promise<{ target: string; outcome: string }[]> {
  return adminQuery(
    lab().dir,
    'd1',
    'SELECT target, outcome FROM kamailio.sipha_audit WHERE action = ? ORDER BY id',
    [action],
  );
}

async function notFound(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('not_found:resource');
  return (err as AppError).message;
}

describe('one console over two clusters', () => {
  lab = useLab({ clusters: 2 });

  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    const { createToken } = await import('@/lib/auth/tokens');
    token = (await createToken({ name: 'it-clusters', role: 'admin', createdBy: 'test' })).token;
    expect(await register(lab().dir, { site: 'p1', users: c1Users })).toEqual({ ok: 3, failed: 0 });
    expect(await register(lab().dir, { site: 'p3', users: c2Users })).toEqual({ ok: 3, failed: 0 });
  });

  afterAll(async () => {
    const { getMonitors } = await import('@/lib/health/monitor');
    for (const m of await getMonitors()) m.stop();
    const { clusters, connectionListOf } = await import('@/lib/clusters/registry');
    for (const c of clusters()) await (await connectionListOf(c.name)).close();
    delete (globalThis as { __siphaList?: unknown }).__siphaList;
    delete (globalThis as { __siphaClusterLists?: unknown }).__siphaClusterLists;
  });

  it('overview, health and /metrics list both clusters, each node and SIP server with its cluster', async () => {
    const { getOverview } = await import('@/lib/health/overview');
    const { getHealthDetail } = await import('@/lib/health/detail');
    const { renderMetrics } = await import('@/lib/health/metrics');
    // Replication of both pairs and the synthetic REGISTER through every SIP server, whose probe
    // account must live in the server's own cluster (p3 and p4 authenticate against d3/d4).
    await expect
      .poll(
        async () => {
          const h = await getHealthDetail();
          return (h.clusters ?? []).map((c) => ({
            cluster: c.cluster,
            directions: c.directions.map((d) => `${d.from}→${d.to} ${d.health}`).sort(),
            registers: (c.overview.services ?? []).map((s) => `${s.name} ${s.register?.ok ?? null}`),
          }));
        },
        { timeout: 60_000, interval: 500 },
      )
      .toEqual([
        { cluster: 'c1', directions: ['d1→d2 ok', 'd2→d1 ok'], registers: ['p1 true', 'p2 true'] },
        { cluster: 'c2', directions: ['d3→d4 ok', 'd4→d3 ok'], registers: ['p3 true', 'p4 true'] },
      ]);
    const o = await getOverview();
    // The top level stays the home cluster's, as with one cluster.
    expect(o.cluster).toBe('c1');
    expect(o.nodes.map((n) => n.name)).toEqual(['d1', 'd2']);
    expect(
      o.clusters?.map((c) => ({
        cluster: c.cluster,
        nodes: c.nodes.map((n) => `${n.name}:${n.cluster}:${n.role}`),
        sip: c.sip.map((s) => `${s.name}:${s.cluster}`),
        active: c.active,
      })),
    ).toEqual([
      { cluster: 'c1', nodes: ['d1:c1:active', 'd2:c1:standby'], sip: ['p1:c1', 'p2:c1'], active: 'd1' },
      { cluster: 'c2', nodes: ['d3:c2:active', 'd4:c2:standby'], sip: ['p3:c2', 'p4:c2'], active: 'd3' },
    ]);
    const h = await getHealthDetail();
    expect(
      h.clusters?.map((c) => [c.cluster, c.nodes.map((n) => n.name), c.kamailio.map((k) => k.name)]),
    ).toEqual([
      ['c1', ['d1', 'd2'], ['p1', 'p2']],
      ['c2', ['d3', 'd4'], ['p3', 'p4']],
    ]);
    // Each cluster counts its own table: p3's registrations are in c2's, p1's in c1's (the
    // synthetic REGISTER may add its own contact for a moment: at least the three of the test).
    await expect
      .poll(
        async () =>
          (await getHealthDetail()).clusters?.map((c) =>
            c.registrations.counts.some((x) => (x.server === 'p1' || x.server === 'p3') && x.active >= 3),
          ),
        { timeout: 15_000, interval: 500 },
      )
      .toEqual([true, true]);
    const counted = (await getHealthDetail()).clusters?.map((c) =>
      c.registrations.counts.map((x) => x.server),
    );
    expect(counted).toEqual([
      ['p1', 'p2'],
      ['p3', 'p4'],
    ]);
    const metrics = (await renderMetrics()).body;
    for (const [node, cluster] of [
      ['d1', 'c1'],
      ['d2', 'c1'],
      ['d3', 'c2'],
      ['d4', 'c2'],
    ])
      expect(metrics).toContain(`sipha_node_up{node="${node}",cluster="${cluster}"} 1`);
    expect(metrics).toMatch(/sipha_replication_lag_ms\{from="d3",to="d4",cluster="c2"\} \d+/);
    expect(metrics).toMatch(/sipha_sip_up\{server="p4",transport="udp",cluster="c2"\} 1/);
    expect(metrics).toContain('sipha_failover_active{cluster="c2"} 0');
  });

  it('lists registrations of both clusters with their cluster; unregister goes to the owning cluster', async () => {
    const { listRegistrations } = await import('@/lib/registrations/queries');
    const { unregister } = await import('@/app/(console)/registrations/actions');
    const all = await listRegistrations({ q: 'user10' });
    expect(all.rows.map((r) => `${r.username}:${r.cluster}:${r.server}`)).toEqual([
      'user1000:c1:p1',
      'user1001:c1:p1',
      'user1002:c1:p1',
      'user1060:c2:p3',
      'user1061:c2:p3',
      'user1062:c2:p3',
    ]);
    // Keyset pages across the clusters: two rows a page, each row once, in key order.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page = await listRegistrations({ q: 'user10', limit: 2, after });
      paged.push(...page.rows.map((r) => r.username));
      after = page.next;
    } while (after);
    expect(paged).toEqual(all.rows.map((r) => r.username));
    const c2 = await listRegistrations({ q: 'user10', cluster: 'c2' });
    expect(c2.rows.map((r) => r.username)).toEqual(['user1060', 'user1061', 'user1062']);
    expect(c2.node).toBe('d3');
    await notFound(listRegistrations({ cluster: 'c9' }));

    const row = c2.rows[0]!;
    const count = async (node: string) =>
      Number((await adminQuery(lab().dir, node, 'SELECT COUNT(*) AS n FROM kamailio.location'))[0].n);
    const before = { d1: await count('d1'), d3: await count('d3') };
    // The wrong cluster has no such row, an unknown cluster is refused: nothing deleted anywhere.
    const wrong = await actAs('operator', '/registrations', unregister, idle, {
      ruid: row.ruid,
      cluster: 'c1',
    });
    expect(wrong).toMatchObject({ status: 'failed' });
    const unknown = await actAs('operator', '/registrations', unregister, idle, {
      ruid: row.ruid,
      cluster: 'c9',
    });
    expect(unknown).toMatchObject({ status: 'failed', message: 'No cluster named c9 in the configuration.' });
    expect({ d1: await count('d1'), d3: await count('d3') }).toEqual(before);
    const done = await actAs('operator', '/registrations', unregister, idle, {
      ruid: row.ruid,
      cluster: 'c2',
    });
    expect(done).toMatchObject({ status: 'saved', node: 'd3' });
    expect({ d1: await count('d1'), d3: await count('d3') }).toEqual({ d1: before.d1, d3: before.d3 - 1 });
    expect((await auditRows('registration.delete')).map((r) => `${r.target} ${r.outcome}`)).toEqual([
      `ruid ${row.ruid} in cluster c1 failed`,
      `ruid ${row.ruid} in cluster c9 failed`,
      `ruid ${row.ruid} in cluster c2 ok`,
    ]);
  });

  it("fences a cluster-B node on cluster B's list only; another or unknown cluster is refused", async () => {
    const { connectionListOf } = await import('@/lib/clusters/registry');
    const { POST } = await import('@/app/api/nodes/[name]/fence/route');
    const c1 = await connectionListOf('c1');
    const c2 = await connectionListOf('c2');
    const fence = (node: string, body: Record<string, unknown>) =>
      POST(
        new Request(`http://console/api/nodes/${node}/fence`, {
          method: 'POST',
          headers: admin(),
          body: JSON.stringify({ confirm: 'yes', reason: 'cluster test', ...body }),
        }),
        { params: Promise.resolve({ name: node }) },
      );
    const fencedNow = () => ({
      c1: c1.nodes.filter((n) => c1.isFenced(n.handle.name)).map((n) => n.handle.name),
      c2: c2.nodes.filter((n) => c2.isFenced(n.handle.name)).map((n) => n.handle.name),
    });
    for (const [body, status] of [
      [{ fenced: true, cluster: 'c1' }, 404],
      [{ fenced: true, cluster: 'c9' }, 404],
      [{ fenced: true, cluster: 'C 1' }, 400],
    ] as const) {
      const res = await fence('d4', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect(fencedNow()).toEqual({ c1: [], c2: [] });

    const res = await fence('d4', { fenced: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ node: 'd4', cluster: 'c2', fenced: true });
    expect(fencedNow()).toEqual({ c1: [], c2: ['d4'] });
    // The state row is in cluster B's own tables, not the home cluster's.
    const state = (node: string) =>
      adminQuery(lab().dir, node, "SELECT fenced FROM kamailio.sipha_node_state WHERE node = 'd4'");
    expect((await state('d3')).map((r) => Number(r.fenced))).toEqual([1]);
    expect(await state('d1')).toEqual([]);

    const back = await fence('d4', { fenced: false, cluster: 'c2' });
    expect(back.status).toBe(200);
    expect(fencedNow()).toEqual({ c1: [], c2: [] });
    expect((await auditRows('node.fence')).map((r) => r.outcome)).toEqual(['failed', 'failed', 'ok']);
    expect((await auditRows('node.fence')).at(-1)?.target).toBe('d4 in cluster c2');
    expect((await auditRows('node.unfence')).map((r) => `${r.target} ${r.outcome}`)).toEqual([
      'd4 in cluster c2 ok',
    ]);
  });

  it("plans restores on the chosen cluster's list; the wizard sees that cluster's nodes; unknown: refused", async () => {
    const { restoreOverview } = await import('@/lib/restore/overview');
    const { startRestoreAction } = await import('@/app/(console)/restore/actions');
    const { wizardContext } = await import('@/lib/wizard/app-context');
    // A plan opens sessions on both nodes; on a busy machine one may time out: ask again.
    const planned = (cluster?: string) =>
      expect.poll(
        async () => {
          const o = await restoreOverview(cluster ? { cluster } : {});
          return [
            o.cluster,
            o.active,
            ...o.candidates.map((c) => [c.node, c.kind, c.plan?.survivor ?? c.problem]),
          ];
        },
        { timeout: 20_000, interval: 500 },
      );
    await planned().toEqual(['c1', 'd1', ['d2', 'switchover', 'd1']]);
    await planned('c2').toEqual(['c2', 'd3', ['d4', 'switchover', 'd3']]);
    expect(await notFound(restoreOverview({ cluster: 'c9' }))).toBe(
      'No cluster named c9 in the configuration.',
    );

    // A run for d4 asked on cluster c1, or on an unknown cluster: refused before anything runs.
    const jobs = async () =>
      Number((await adminQuery(lab().dir, 'd3', 'SELECT COUNT(*) AS n FROM kamailio.sipha_job'))[0].n) +
      Number((await adminQuery(lab().dir, 'd1', 'SELECT COUNT(*) AS n FROM kamailio.sipha_job'))[0].n);
    const before = await jobs();
    for (const cluster of ['c1', 'c9'])
      expect(
        await actAs('admin', '/restore', startRestoreAction, idle, {
          target: 'd4',
          kind: 'switchover',
          procedure: 'sipha',
          cluster,
        }),
      ).toMatchObject({ status: 'failed' });
    expect(await jobs()).toBe(before);
    expect((await auditRows('restore.request')).map((r) => `${r.target} ${r.outcome}`)).toEqual([
      'switchover d4 (sipha) in cluster c2 failed',
      'switchover d4 (sipha) in cluster c2 failed',
    ]);

    expect((await wizardContext({ actor: 'test', cluster: 'c2' })).nodes.map((n) => n.name)).toEqual([
      'd3',
      'd4',
    ]);
    expect((await wizardContext({ actor: 'test' })).nodes.map((n) => n.name)).toEqual(['d1', 'd2']);
    await notFound(wizardContext({ actor: 'test', cluster: 'c9' }));
  });

  it('GET /api/v1/nodes lists every cluster with its nodes, or the one asked for', async () => {
    const { GET } = await import('@/app/api/v1/nodes/route');
    const get = async (q: string) => {
      const res = await GET(new Request(`http://console/api/v1/nodes${q}`, { headers: admin() }), {});
      return { status: res.status, body: await res.json() };
    };
    const all = await get('');
    expect(all.status).toBe(200);
    expect(all.body.nodes.map((n: { name: string; cluster: string }) => `${n.name}:${n.cluster}`)).toEqual([
      'd1:c1',
      'd2:c1',
      'd3:c2',
      'd4:c2',
    ]);
    expect(all.body.clusters).toEqual([
      { name: 'c1', active: 'd1' },
      { name: 'c2', active: 'd3' },
    ]);
    const b = await get('?cluster=c2');
    expect(b.body.nodes.map((n: { name: string }) => n.name)).toEqual(['d3', 'd4']);
    expect((await get('?cluster=c9')).status).toBe(404);
  });

  it("the DNS page's servers: the first stage, probed, and every cluster's SIP servers with their cluster", async () => {
    const { dnsServerViews } = await import('@/lib/dns/view');
    await expect
      .poll(
        async () =>
          (await dnsServerViews()).map(
            (s) => `${s.name}:${s.firstStage ? 'first stage' : s.cluster}:${s.up.udp}`,
          ),
        { timeout: 15_000, interval: 500 },
      )
      .toEqual(['f1:first stage:true', 'p1:c1:true', 'p2:c1:true', 'p3:c2:true', 'p4:c2:true']);
  });

  // Destructive: keep last.
  it('with both nodes of c2 killed, c1 is still listed and paged; c2 is named unavailable in words', async () => {
    const { listRegistrations } = await import('@/lib/registrations/queries');
    const { GET } = await import('@/app/api/registrations/route');
    const { GET: getUsers } = await import('@/app/api/v1/users/route');
    const { listUsers } = await import('@/lib/users/queries');
    const { connectionListOf } = await import('@/lib/clusters/registry');
    // d3 fenced while it still answers (as another console's failover leaves it), then d4 gone:
    // the page says d3 answers but is fenced, not that nothing answers.
    await (await connectionListOf('c2')).setFenced('d3', true, 'test: fenced before the outage', 'test');
    await signal(lab().dir, 'd4', 'kill');
    expect((await listRegistrations({ q: 'user10' })).unavailable).toEqual([
      { cluster: 'c2', reason: 'every database node of c2 is down or fenced (down: d4; fenced: d3)' },
    ]);
    // Then the fenced node dies too: the list last saw it answer, but the page asks it afresh.
    await signal(lab().dir, 'd3', 'kill');
    const c2Down = [{ cluster: 'c2', reason: 'no database node of c2 answers' }];
    const c1Rows = ['user1000:c1:p1', 'user1001:c1:p1', 'user1002:c1:p1'];

    const t0 = performance.now();
    const page = await listRegistrations({ q: 'user10' });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(page.rows.map((r) => `${r.username}:${r.cluster}:${r.server}`)).toEqual(c1Rows);
    expect(page).toMatchObject({ partial: true, unavailable: c2Down, node: 'd1' });
    // Keyset pages over the cluster that answered: each of its rows once, in order.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const p = await listRegistrations({ q: 'user10', limit: 2, after });
      expect(p.unavailable).toEqual(c2Down);
      paged.push(...p.rows.map((r) => `${r.username}:${r.cluster}:${r.server}`));
      after = p.next;
    } while (after);
    expect(paged).toEqual(c1Rows);

    const api = async (q: string) => {
      const res = await GET(new Request(`http://console/api/registrations${q}`, { headers: admin() }), {});
      return { status: res.status, text: await res.text() };
    };
    const all = await api('?q=user10');
    expect(all.status).toBe(200);
    const body = JSON.parse(all.text);
    expect(body).toMatchObject({ partial: true, unavailable: c2Down });
    expect(body.rows.map((r: { username: string }) => r.username)).toEqual([
      'user1000',
      'user1001',
      'user1002',
    ]);
    // Plain words only: no SQL, no error code of the driver, no stack.
    expect(all.text).not.toMatch(/ECONNREFUSED|SELECT|stack|errno/i);
    // The one cluster asked for does not answer: no rows, and why; the other one alone: whole.
    const onlyC2 = JSON.parse((await api('?cluster=c2')).text);
    expect(onlyC2).toMatchObject({ rows: [], next: null, partial: true, unavailable: c2Down });
    expect(JSON.parse((await api('?q=user10&cluster=c1')).text)).toMatchObject({
      partial: false,
      unavailable: [],
    });

    // User search across clusters: the same.
    const users = await listUsers({ prefix: 'user10', limit: 500 });
    expect(users).toMatchObject({ partial: true, unavailable: c2Down, node: 'd1' });
    expect(users.users.length).toBeGreaterThan(0);
    expect(users.users.every((u) => u.username < 'user1050')).toBe(true);
    const res = await getUsers(
      new Request('http://console/api/v1/users?prefix=user10', { headers: admin() }),
      {},
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ partial: true, unavailable: c2Down });
  });
});
