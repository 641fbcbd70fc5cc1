import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labDir } from './support/session';

// GET /metrics over real HTTP against the production console and the shared lab (d1, d2, p1, p2):
// refused without credentials, Prometheus text with a viewer API token.

function viewerToken(): string {
  const out = execFileSync(
    'npm',
    [
      'run',
      '--silent',
      'admin',
      '--',
      'token',
      'create',
      '--role',
      'viewer',
      '--name',
      `e2e-metrics-${Date.now()}`,
      '--json',
    ],
    { env: { ...process.env, SIPHA_CONFIG: join(labDir, 'sipha.config.json') }, encoding: 'utf8' },
  );
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`admin token create printed no JSON: ${out}`);
  return (JSON.parse(line) as { token: string }).token;
}

/** `name{labels} value` lines of the exposition, by series. */
function samples(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of body.split('\n')) {
    if (!l || l.startsWith('#')) continue;
    const i = l.lastIndexOf(' ');
    out.set(l.slice(0, i), Number(l.slice(i + 1)));
  }
  return out;
}

test.describe('/metrics', () => {
  test('refuses a request without credentials', async ({ request }) => {
    const res = await request.get('/metrics');
    expect(res.status()).toBe(401);
    expect(await res.text()).not.toContain('sipha_node_up');
  });

  test('answers a viewer token with every metric family and the lab values', async ({ request }) => {
    const headers = { authorization: `Bearer ${viewerToken()}` };
    // The console samples in the background: the SIP probes and counts fill in within seconds.
    await expect
      .poll(
        async () => {
          const res = await request.get('/metrics', { headers });
          expect(res.status()).toBe(200);
          return samples(await res.text()).get('sipha_sip_up{server="p2",transport="tcp"}');
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const res = await request.get('/metrics', { headers });
    expect(res.headers()['content-type']).toContain('text/plain');
    const body = await res.text();
    for (const family of [
      'sipha_node_up',
      'sipha_node_role',
      'sipha_replication_lag_ms',
      'sipha_replication_io_running',
      'sipha_replication_sql_running',
      'sipha_registrations',
      'sipha_sip_probe_rtt_ms',
      'sipha_failover_active',
    ])
      expect(body).toContain(`# TYPE ${family} gauge`);
    const s = samples(body);
    expect(s.get('sipha_node_up{node="d1"}')).toBe(1);
    expect(s.get('sipha_node_up{node="d2"}')).toBe(1);
    expect(s.get('sipha_node_role{node="d1",role="active"}')).toBe(1);
    expect(s.get('sipha_node_role{node="d2",role="standby"}')).toBe(1);
    expect(s.get('sipha_failover_active')).toBe(0);
    for (const [from, to] of [
      ['d1', 'd2'],
      ['d2', 'd1'],
    ]) {
      expect(s.get(`sipha_replication_io_running{from="${from}",to="${to}"}`)).toBe(1);
      expect(s.get(`sipha_replication_sql_running{from="${from}",to="${to}"}`)).toBe(1);
      expect(s.get(`sipha_replication_lag_ms{from="${from}",to="${to}"}`)).toBeGreaterThanOrEqual(0);
    }
    for (const server of ['p1', 'p2']) {
      expect(s.get(`sipha_registrations{server="${server}",state="active"}`)).toBeGreaterThanOrEqual(0);
      for (const transport of ['udp', 'tcp'])
        expect(s.get(`sipha_sip_probe_rtt_ms{server="${server}",transport="${transport}"}`)).toBeGreaterThan(
          0,
        );
    }
  });
});
