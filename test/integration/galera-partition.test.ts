import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConnectionList } from '@/lib/db';
import type { ConnectionList } from '@/lib/db/connection-list';
import { galeraFailover } from '@/lib/galera/failover-words';
import { getGaleraHealth } from '@/lib/galera/health';
import { getGaleraOverview } from '@/lib/galera/overview';
import { adminQuery, heal, partition, register, seedUsers, status } from '../../lab/index.ts';
import { member } from '../../lab/netns.ts';
import { NODES } from '../../lab/netns-partition.ts';
import { createTable, keyCounts, TABLE, useGaleraLab, waitFor, writeKey, wsrep } from '../helpers/galera';

// A real network partition of a Galera node: `lab up --engine galera --netns` runs each node in
// a network namespace of its own on the lab's bridge, and nftables inside the namespaces drop
// every packet between d3 and d1+d2 (group communication, IST, SST), while this test process
// (the console, on the bridge) and the SIP servers still reach d3 over SQL.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The named namespace a process runs in (`ip netns identify`). */
const nsOf = (pid: number) =>
  execFileSync('ip', ['netns', 'identify', String(pid)], { encoding: 'utf8' }).trim();

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect({ host, port, timeout: 2000 });
    const done = (v: boolean) => {
      s.destroy();
      ok(v);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}

describe('Galera with --netns', () => {
  const { lab, open } = useGaleraLab({ netns: true });

  it('runs each node and SIP server in a namespace of its own, on its own address', async () => {
    const { dir, state } = lab();
    const net = state.net!;
    const s = await status(dir);
    expect(s.nodes.map((n) => n.host)).toEqual(['d1', 'd2', 'd3'].map((n) => member(net, n).ip));
    for (const n of s.nodes) {
      expect(nsOf(n.pid)).toBe(member(net, n.name).ns);
      const [v] = await adminQuery(
        dir,
        n.name,
        'SELECT @@wsrep_node_address AS a, @@wsrep_cluster_address AS c',
      );
      expect(v.a).toBe(n.host);
      expect(v.c).toBe(
        `gcomm://${s.nodes.map((x) => `${x.host}:${state.galera!.ports[x.name]!.gcomm}`).join(',')}`,
      );
      // Group communication reachable from the host, where the console's preflight looks.
      expect(await tcpOpen(n.host, state.galera!.ports[n.name]!.gcomm)).toBe(true);
    }
    const d1 = await wsrep(dir, 'd1');
    expect(d1).toMatchObject({ wsrep_cluster_size: '3', wsrep_cluster_status: 'Primary' });
    expect(d1.wsrep_incoming_addresses!.split(',').sort()).toEqual(
      s.nodes.map((n) => `${n.host}:${n.port}`).sort(),
    );
    // Each SIP server reaches its node (db_cluster, its own node first): REGISTERs are
    // authenticated and stored there.
    for (const p of s.sip) {
      expect(nsOf(p.pid)).toBe(member(net, p.name).ns);
      expect(p.host).toBe(member(net, p.name).ip);
      expect(await register(dir, { site: p.name, users: seedUsers(3) })).toEqual({ ok: 3, failed: 0 });
    }
  });

  it('a node partitioned from the others leaves the primary component and stops taking writes', async () => {
    const { dir } = lab();
    await createTable(dir);
    // The console's own list (d1 first; its health and overview read it) and one with d3 first.
    const list = await getConnectionList();
    const d3first = await open({ order: ['d3', 'd1', 'd2'] });
    await waitFor(
      'd1 and d3 take writes',
      async () => list.active()?.handle.name === 'd1' && d3first.active()?.handle.name === 'd3',
      15_000,
    );
    expect((await writeKey(d3first, 'on-d3')).node).toBe('d3');

    interface Attempt {
      key: string;
      startedAt: number;
      node?: string;
      error?: { errno?: number; message: string };
    }
    const attempts: Record<'console' | 'd3first', Attempt[]> = { console: [], d3first: [] };
    let stop = false;
    const writer = async (l: ConnectionList, tag: 'console' | 'd3first') => {
      for (let i = 0; !stop && i < 1000; i++) {
        const a: Attempt = { key: `${tag}-${i}`, startedAt: Date.now() };
        attempts[tag].push(a);
        try {
          a.node = (await writeKey(l, a.key)).node;
        } catch (e) {
          const cause = (e as { cause?: { errno?: number } }).cause;
          a.error = { errno: (e as { errno?: number }).errno ?? cause?.errno, message: (e as Error).message };
        }
        await sleep(50);
      }
    };
    const writers = [writer(list, 'console'), writer(d3first, 'd3first')];
    const errLog = join(dir, 'd3', 'mysqld.err');
    let logFrom = 0;
    let nonPrimaryAt = Number.POSITIVE_INFINITY;
    try {
      await sleep(1000);
      partition(dir, 'd3', NODES);
      await waitFor(
        'd3 non-Primary',
        async () => (await wsrep(dir, 'd3')).wsrep_cluster_status === 'non-Primary',
        20_000,
      );
      nonPrimaryAt = Date.now();
      await waitFor(
        'd1 and d2 a primary component of 2',
        async () => {
          const s = await Promise.all(['d1', 'd2'].map((n) => wsrep(dir, n)));
          return s.every((x) => x.wsrep_cluster_status === 'Primary' && x.wsrep_cluster_size === '2');
        },
        20_000,
      );
      await expect(
        adminQuery(dir, 'd3', `INSERT INTO kamailio.${TABLE} (k) VALUES ('direct')`),
      ).rejects.toMatchObject({
        errno: 1047,
        message: expect.stringContaining('WSREP has not yet prepared node for application use'),
      });
      await waitFor(
        'd3-first writes moved away from d3',
        async () => d3first.active()?.handle.name === 'd1',
        10_000,
      );

      // What the console says about d3, in the words of lib/galera.
      // Its samples of d1 and d2 may be one probe round behind d3's.
      await waitFor(
        'the console sees d3 outside the primary component',
        async () => {
          const codes = (await getGaleraHealth()).problems.map((p) => `${p.node}:${p.code}`);
          return codes.includes('d3:no_primary') && codes.includes(':size');
        },
        10_000,
      );
      const health = await getGaleraHealth();
      expect(health.problems.find((p) => p.node === 'd3')?.words).toBe(
        'd3 is not in the primary component (non-Primary): it cannot see a majority of the cluster, so it refuses reads and writes.',
      );
      expect(health.problems.find((p) => p.code === 'size')?.words).toBe(
        'The primary component has 2 of 3 configured members.',
      );
      const overview = (await getGaleraOverview())!;
      expect(overview).toMatchObject({ writer: 'd1', primarySize: 2, configured: 3 });
      expect(overview.nodes.find((n) => n.name === 'd3')).toMatchObject({ reachable: true, writable: false });
      const g = d3first.galera!;
      const banner = galeraFailover({
        writer: d3first.active()?.handle.name ?? null,
        preferred: { name: 'd3', status: g.get('d3').status, error: null },
        failback: g.cfg.failback,
        failbackAfterMs: g.cfg.failbackAfterMs,
      });
      expect(banner?.words).toBe(
        'Writes moved to d1 because d3 left the primary component (non-Primary, cluster size 1).',
      );

      // The majority keeps taking writes from both lists while d3 stays cut off.
      const later = () => attempts.d3first.filter((a) => a.startedAt > nonPrimaryAt && a.node).length;
      await waitFor('more writes on the majority', async () => later() >= 40, 20_000);
      expect((await wsrep(dir, 'd3')).wsrep_cluster_status).toBe('non-Primary');
    } finally {
      stop = true;
      await Promise.all(writers);
      logFrom = statSync(errLog).size;
      heal(dir, 'd3', NODES);
    }

    // Neither list lost or failed a write. A write already committing on d3 when it lost the
    // primary component gets ER_ERROR_DURING_COMMIT ("Not connected to Primary Component"):
    // its outcome is unknown, so the console looks for it on the next writer and runs it there
    // if it is not found (lib/galera/writer.ts, verdict 'unsure'); every key is counted once
    // on all three nodes below. Every write started once d3 was non-Primary went to the majority.
    expect(attempts.console.filter((a) => a.error)).toEqual([]);
    expect(attempts.d3first.filter((a) => a.error)).toEqual([]);
    const afterCut = [...attempts.console, ...attempts.d3first].filter((a) => a.startedAt > nonPrimaryAt);
    expect(afterCut.filter((a) => a.node !== 'd1' && a.node !== 'd2')).toEqual([]);
    const acked = [...attempts.console, ...attempts.d3first].filter((a) => a.node).map((a) => a.key);

    // d3 rejoins by IST (a running node cannot receive an SST), with every write it missed.
    await waitFor(
      'd3 Synced in a primary component of 3',
      async () => {
        const s = await wsrep(dir, 'd3');
        return s.wsrep_local_state_comment === 'Synced' && s.wsrep_cluster_size === '3';
      },
      30_000,
    );
    const rejoin = readFileSync(errLog).subarray(logFrom).toString();
    expect(rejoin).toMatch(/Receiving IST: \d+ writesets/);
    expect(rejoin).toMatch(/IST received: /);
    expect(rejoin).not.toMatch(/SST received/);
    const onD3 = await keyCounts(dir, 'd3');
    expect(acked.filter((k) => onD3.get(k) !== 1)).toEqual([]);
    expect(onD3.has('direct')).toBe(false);
    const sums = await Promise.all(
      ['d1', 'd2', 'd3'].map(async (n) => {
        const r = await adminQuery<{ Checksum: number }>(
          dir,
          n,
          `CHECKSUM TABLE kamailio.${TABLE}, kamailio.subscriber`,
        );
        return r.map((x) => x.Checksum);
      }),
    );
    expect(sums[2]).toEqual(sums[0]);
    expect(sums[1]).toEqual(sums[0]);

    // With the default failback (auto), d3 takes the d3-first writes back once Synced a while.
    await waitFor('d3-first writes back on d3', async () => d3first.active()?.handle.name === 'd3', 15_000);
    expect((await writeKey(d3first, 'after-heal')).node).toBe('d3');
  });
});
