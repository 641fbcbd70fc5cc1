import { describe, expect, it } from 'vitest';
import { adminQuery, load, register, seedUsers } from '../../lab/index.ts';
import { useLab } from '../helpers/lab.ts';
import { eventually } from '../helpers/poll.ts';

describe('replicated lab (2 nodes, 2 sites)', () => {
  const lab = useLab({ nodes: 2 });

  it('a REGISTER through p1 appears in location on d2 within 5 s, with server_id 1', async () => {
    const { dir } = lab();
    const [user] = seedUsers(1);
    const r = await register(dir, { site: 'p1', users: [user!] });
    expect(r).toEqual({ ok: 1, failed: 0 });
    const row = await eventually(
      'the location row on d2',
      async () => {
        const rows = await adminQuery(
          dir,
          'd2',
          'SELECT * FROM kamailio.location WHERE username = ? AND domain = ?',
          [user!.username, 'lab.sipha.test'],
        );
        return rows[0];
      },
      5000,
    );
    expect(row).toBeDefined();
    expect(row.server_id).toBe(1);
    expect(row.contact).toContain(`sip:${user!.username}@127.0.0.1`);
  });

  it('a wrong password is refused and stores nothing', async () => {
    const { dir } = lab();
    const r = await register(dir, { site: 'p2', users: [{ username: 'user1050', password: 'wrong' }] });
    expect(r).toEqual({ ok: 0, failed: 1 });
    const rows = await adminQuery(dir, 'd2', "SELECT id FROM kamailio.location WHERE username = 'user1050'");
    expect(rows).toHaveLength(0);
  });

  it('a row written on d2 appears on d1, and one written on d1 on d2', async () => {
    const { dir } = lab();
    const ins =
      'INSERT INTO kamailio.location (ruid, username, domain, contact, server_id) VALUES (?, ?, ?, ?, ?)';
    await adminQuery(dir, 'd2', ins, [
      'ruid-from-d2',
      'alice',
      'lab.sipha.test',
      'sip:alice@127.0.0.1:5099',
      2,
    ]);
    await adminQuery(dir, 'd1', ins, ['ruid-from-d1', 'bob', 'lab.sipha.test', 'sip:bob@127.0.0.1:5098', 1]);
    const find = (node: string, ruid: string) => async () =>
      (await adminQuery(dir, node, 'SELECT username, id FROM kamailio.location WHERE ruid = ?', [ruid]))[0];
    const onD1 = await eventually('the row from d2 on d1', find('d1', 'ruid-from-d2'), 5000);
    const onD2 = await eventually('the row from d1 on d2', find('d2', 'ruid-from-d1'), 5000);
    expect(onD1?.username).toBe('alice');
    expect(onD2?.username).toBe('bob');
    // auto_increment_offset per node keeps the keys apart: even ids on d2, odd on d1.
    expect(onD1.id % 2).toBe(0);
    expect(onD2.id % 2).toBe(1);
  });

  it('load at 50/s for 5 s registers without failures', async () => {
    const r = await load(lab().dir, { site: 'p1', rate: 50, duration: 5, users: 100 });
    expect(r.failed).toBe(0);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.ok).toBe(r.sent);
    // A round trip measured for every call (how fast is the benchmarks' business, not a test's).
    expect(r.rtts).toBe(r.ok);
    expect(r.p99).toBeGreaterThan(0);
  });
});
