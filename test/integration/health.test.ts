import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, signal, start, status } from '@/lab/index';
import { closeConnectionList, getConnectionList } from '@/lib/db';
import { getHealthDetail, getHealthHistory } from '@/lib/health/detail';
import { renderMetrics } from '@/lib/health/metrics';
import { getMonitor } from '@/lib/health/monitor';
import type { HealthDetail } from '@/lib/health/types';
import { useLab } from '../helpers/lab';

// Health against a real lab: heartbeat lag, a killed SIP server, a hung (SIGSTOP) database node
// and replication broken on purpose with a duplicate key.

let lab: ReturnType<typeof useLab>;

/** Fails (rather than waits) when the health call takes longer than the page may. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);
}

async function until(what: string, ok: (h: HealthDetail) => boolean, ms: number): Promise<HealthDetail> {
  let h: HealthDetail | undefined;
  let slow: unknown;
  try {
    await expect
      .poll(
        async () => {
          try {
            h = await within(1500, getHealthDetail());
          } catch (err) {
            slow = err; // a slow answer fails the test at once, it is not retried
            return true;
          }
          return ok(h);
        },
        { timeout: ms, interval: 250 },
      )
      .toBe(true);
  } catch {
    throw new Error(
      `not within ${ms} ms: ${what}\n${JSON.stringify(h && { nodes: h.overview.nodes, sip: h.overview.sip.map((s) => [s.name, s.up]), directions: h.directions }, null, 1)}`,
    );
  }
  if (slow) throw slow;
  return h!;
}

const dir = (h: HealthDetail, from: string, to: string) =>
  h.directions.find((d) => d.from === from && d.to === to);

describe('health', () => {
  lab = useLab({ nodes: 2 });
  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    await getConnectionList();
    await getMonitor();
  });

  afterEach(async () => {
    const s = await status(lab().dir);
    for (const p of [...s.nodes, ...s.sip]) {
      if (p.state === 'stopped') await signal(lab().dir, p.name, 'cont');
      if (p.state === 'down') await start(lab().dir, p.name);
    }
  });

  afterAll(async () => {
    (await getMonitor()).stop();
    await closeConnectionList();
  });

  it('shows both directions replicating with heartbeat lag in ms, and exports metrics', async () => {
    const h = await until(
      'both directions ok with a lag',
      (x) =>
        ['d1:d2', 'd2:d1'].every((k) => {
          const [f, t] = k.split(':');
          const d = dir(x, f!, t!);
          return d?.health === 'ok' && d.lagMs !== null;
        }),
      15_000,
    );
    expect(dir(h, 'd1', 'd2')).toMatchObject({
      ioRunning: 'Yes',
      sqlRunning: true,
      usingGtid: true,
      errors: [],
    });
    expect(h.nodes.every((n) => n.answering && n.gtidBinlogPos && !n.heartbeatSkipped)).toBe(true);
    // Each node's row was written on that node and replicated to the other.
    for (const node of ['d1', 'd2']) {
      const rows = await adminQuery<{ node: string }>(
        lab().dir,
        node,
        'SELECT node FROM kamailio.sipha_heartbeat ORDER BY node',
      );
      expect(rows.map((r) => r.node)).toEqual(['d1', 'd2']);
    }
    const kam = h.kamailio.find((k) => k.name === 'p1');
    expect(kam?.lines.some((l) => /^Up for/.test(l))).toBe(true);
    const metrics = (await renderMetrics()).body;
    expect(metrics).toMatch(/sipha_replication_lag_ms\{from="d1",to="d2"\} \d+/);
    expect(metrics).toContain('sipha_node_up{node="d1"} 1');
    expect(metrics).toContain('sipha_node_role{node="d1",role="active"} 1');
    expect(metrics).toMatch(/sipha_sip_probe_rtt_ms\{server="p1",transport="udp"\} [\d.]+/);
    // The history ring takes a sample every second.
    await expect
      .poll(async () => (await getHealthHistory()).lag.length, { timeout: 5000, interval: 250 })
      .toBe(2);
    const hist = await getHealthHistory();
    expect(hist.lag.map((s) => s.key).sort()).toEqual(['d1→d2', 'd2→d1']);
    expect(hist.lag.every((s) => s.points.some((p) => typeof p[1] === 'number'))).toBe(true);
    console.log('lag ms', h.directions.map((x) => `${x.from}→${x.to} ${x.lagMs}`).join(', '));
  });

  it('turns p1 red within 5 s of a SIGKILL while the rest stays up', async () => {
    await signal(lab().dir, 'p1', 'kill');
    const h = await until('p1 down', (x) => x.overview.sip.find((s) => s.name === 'p1')?.up === false, 5000);
    expect(h.overview.sip.find((s) => s.name === 'p2')?.up).toBe(true);
    expect(dir(h, 'd1', 'd2')?.health).toBe('ok');
  });

  it('turns a hung node (SIGSTOP) red and keeps answering within 1.5 s', async () => {
    await signal(lab().dir, 'd2', 'stop');
    const h = await until(
      'd2 red',
      (x) =>
        x.overview.nodes.find((n) => n.name === 'd2')?.reachable === false &&
        x.nodes.find((n) => n.name === 'd2')?.answering === false,
      8000,
    );
    expect(dir(h, 'd1', 'd2')?.health).toBe('unknown');
    expect(h.overview.nodes.find((n) => n.name === 'd1')?.role).toBe('active');
    // Several more polls while d2 stays hung: each one still answers within the bound.
    for (let i = 0; i < 4; i++) await within(1500, getHealthDetail());
  });

  it('explains replication broken on purpose by a duplicate key (1062)', async () => {
    const d = lab().dir;
    await adminQuery(d, 'd2', 'STOP SLAVE');
    // The conflicting row exists on d2 only (not binlogged), then d1 writes the same id.
    await adminQuery(
      d,
      'd2',
      "SET sql_log_bin = 0; INSERT INTO kamailio.location (id, ruid, username, contact) VALUES (900001, 'dup-d2', 'dup', 'sip:dup@192.0.2.2'); SET sql_log_bin = 1",
    );
    await adminQuery(
      d,
      'd1',
      "INSERT INTO kamailio.location (id, ruid, username, contact) VALUES (900001, 'dup-d1', 'dup', 'sip:dup@192.0.2.1')",
    );
    await adminQuery(d, 'd2', 'START SLAVE');
    const h = await until(
      'd1→d2 broken with 1062',
      (x) => dir(x, 'd1', 'd2')?.errors.some((e) => e.errno === 1062) === true,
      10_000,
    );
    const direction = dir(h, 'd1', 'd2')!;
    expect(direction.health).toBe('broken');
    expect(direction.sqlRunning).toBe(false);
    expect(direction.summary).toContain('1062');
    const e = direction.errors.find((x) => x.errno === 1062)!;
    expect(e.thread).toBe('sql');
    expect(e.fix.join(' ')).toMatch(/auto_increment_(increment|offset)/);
    expect(dir(h, 'd2', 'd1')?.health).toBe('ok');
    const metrics = (await renderMetrics()).body;
    expect(metrics).toContain('sipha_replication_last_errno{from="d1",to="d2"} 1062');
    expect(metrics).toContain('sipha_replication_sql_running{from="d1",to="d2"} 0');
  });
});
