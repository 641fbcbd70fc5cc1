import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, register, seedUsers } from '@/lab/index';
import { closeConnectionList, getConnectionList } from '@/lib/db';
import { listRegistrations } from '@/lib/registrations/queries';
import type { Registration } from '@/lib/registrations/types';
import { deleteRegistration } from '@/lib/registrations/unregister';
import { useLab } from '../helpers/lab';

// Registrations as Kamailio writes them: sipp registers real users through p1 (usrloc
// db_mode=3), and the console reads `location` on the active node.

let lab: ReturnType<typeof useLab>;

async function allPages(args: Parameters<typeof listRegistrations>[0]): Promise<Registration[]> {
  const rows: Registration[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await listRegistrations({ ...args, after, limit: 20 });
    rows.push(...page.rows);
    after = page.next;
    if (!after) break;
  }
  return rows;
}

describe('registrations', () => {
  lab = useLab({ nodes: 2 });
  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    await getConnectionList();
    const r = await register(lab().dir, { site: 'p1', users: seedUsers(50) });
    expect(r).toEqual({ ok: 50, failed: 0 });
  });
  afterAll(async () => {
    await closeConnectionList();
  });

  it('lists the 50 users registered through p1, with p1 as the server, over keyset pages', async () => {
    const rows = await allPages({});
    const users = new Set(rows.map((r) => r.aor));
    expect(users.size).toBe(50);
    expect(users.has(`user1000@${lab().state.domain}`)).toBe(true);
    expect(rows.every((r) => r.server === 'p1' && !r.expired && r.expiresIn > 3000)).toBe(true);
    // Pages come in index order without repeats.
    const keys = rows.map((r) => `${r.username}|${r.contact}|${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...rows.map((r) => r.username)]).toEqual([...rows.map((r) => r.username)].sort());
  });

  it('finds one user by AOR prefix, with or without the domain', async () => {
    const byUser = await listRegistrations({ q: 'user1042' });
    expect(byUser.rows.map((r) => r.username)).toEqual(['user1042']);
    const byAor = await listRegistrations({ q: `user1042@${lab().state.domain.slice(0, 5)}` });
    expect(byAor.rows.map((r) => r.aor)).toEqual([`user1042@${lab().state.domain}`]);
    expect((await listRegistrations({ q: 'user10%' })).rows).toEqual([]);
  });

  it('filters by SIP server', async () => {
    const p2 = lab().state.sip.find((s) => s.name === 'p2')!;
    const p1 = lab().state.sip.find((s) => s.name === 'p1')!;
    expect((await listRegistrations({ serverId: p2.serverId })).rows).toEqual([]);
    expect((await allPages({ serverId: p1.serverId })).length).toBe(50);
  });

  it('shows an expired row that Kamailio has not purged yet as expired', async () => {
    await adminQuery(
      lab().dir,
      'd1',
      `INSERT INTO kamailio.location (ruid, username, domain, contact, expires, user_agent, server_id)
       VALUES ('test-expired-1', 'zz-expired', ?, 'sip:zz@192.0.2.1:5060', NOW() - INTERVAL 30 SECOND, 'test', 1)`,
      [lab().state.domain],
    );
    const [row] = (await listRegistrations({ q: 'zz-expired' })).rows;
    expect(row).toMatchObject({ expired: true, server: 'p1' });
    expect(row!.expiresIn).toBeLessThan(0);
  });

  it('unregisters a contact through the connection list, and it is gone on both nodes', async () => {
    const [row] = (await listRegistrations({ q: 'user1042' })).rows;
    const done = await deleteRegistration({ ruid: row!.ruid });
    expect(done).toEqual({ node: 'd1', aor: `user1042@${lab().state.domain}` });
    const count = (node: string) =>
      adminQuery<{ n: number }>(
        lab().dir,
        node,
        'SELECT COUNT(*) AS n FROM kamailio.location WHERE ruid = ?',
        [row!.ruid],
      ).then((r) => Number(r[0]!.n));
    expect(await count('d1')).toBe(0);
    await expect.poll(() => count('d2'), { timeout: 10_000, interval: 200 }).toBe(0);
    expect((await listRegistrations({ q: 'user1042' })).rows).toEqual([]);
    await expect(deleteRegistration({ ruid: row!.ruid })).rejects.toThrow(/gone already/);
  });
});
