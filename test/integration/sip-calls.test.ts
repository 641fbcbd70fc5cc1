import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, placeCalls, register, signal, startPhone } from '@/lab/index';
import type { Phone } from '@/lab/phone';
import { getConnectionList } from '@/lib/db';
import { listRegistrations } from '@/lib/registrations/queries';
import { useLab } from '../helpers/lab';

// The paper's call (section 5, Fig. 12) on the lab, co-located db_cluster: phones register at
// p1, p1 and d1 die, and a call through p2 still reaches the callee's contact. Also the phone
// that registers at both servers at once. One lab for the file; the site loss comes last.

describe('calls through the proxies', () => {
  const lab = useLab({ nodes: 2, dbPolicy: 'co-located' });
  let bob: Phone | undefined;

  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    await getConnectionList();
  });
  afterAll(async () => {
    await bob?.stop();
  });

  it('routes a call: 407 for the caller, then the callee’s phone answers, then BYE', async () => {
    const { state } = lab();
    bob = await startPhone({
      sip: state.sip[0]!,
      user: { username: 'user1001', password: 'secret1001' },
      domain: state.domain,
      workDir: state.dir,
      stayMs: 300_000,
    });
    const r = await placeCalls(state, { from: 'user1000', to: 'user1001', site: 'p1' });
    expect(r.ok, r.output.slice(-1500)).toBe(1);
    expect(bob.answered()).toBe(1);
  });

  it('answers 404 for an unknown user and 480 for a user with no contact', async () => {
    const { state } = lab();
    for (const [to, code] of [
      ['nobody', '404'],
      ['user1050', '480'],
    ] as const) {
      const r = await placeCalls(state, { from: 'user1000', to, site: 'p2' });
      expect(r.ok).toBe(0);
      expect(r.output).toMatch(new RegExp(`SIP/2\\.0 ${code} `));
    }
  });

  it('(c) a phone registered at p1 and p2 at once: both rows, both servers, replication running both ways', async () => {
    const { dir } = lab();
    const phone = [{ username: 'user1002', password: 'secret1002' }];
    const [a, b] = await Promise.all([
      register(dir, { site: 'p1', users: phone }),
      register(dir, { site: 'p2', users: phone }),
    ]);
    expect([a.ok, b.ok]).toEqual([1, 1]);
    let servers: string[] = [];
    for (let i = 0; i < 50 && servers.length < 2; i++) {
      const page = await listRegistrations({ username: 'user1002', domain: lab().state.domain });
      servers = [...new Set(page.rows.map((r) => r.server ?? '?'))].sort();
      if (servers.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(servers).toEqual(['p1', 'p2']);
    for (const node of ['d1', 'd2']) {
      const [s] = await adminQuery(dir, node, 'SHOW SLAVE STATUS');
      expect([s?.Slave_IO_Running, s?.Slave_SQL_Running, s?.Last_Errno], node).toEqual(['Yes', 'Yes', 0]);
    }
  });

  it('(a) p1 and d1 SIGKILLed: Alice calls Bob through p2 and Bob’s phone answers, then BYE', async () => {
    const { dir, state } = lab();
    const alice = await register(dir, {
      site: 'p1',
      users: [{ username: 'user1000', password: 'secret1000' }],
    });
    expect(alice.ok).toBe(1);
    const answeredBefore = bob!.answered();
    await signal(dir, 'p1', 'kill');
    await signal(dir, 'd1', 'kill');
    const r = await placeCalls(state, { from: 'user1000', to: 'user1001', site: 'p2', count: 3, rate: 3 });
    expect(r.ok, r.output.slice(-1500)).toBe(3);
    expect(bob!.answered() - answeredBefore).toBe(3);
  });
});
