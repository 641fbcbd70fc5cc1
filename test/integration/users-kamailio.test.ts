import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, register, signal } from '../../lab/index.ts';
import { type Lab, useLab } from '../helpers/lab';
import { until } from '../helpers/poll.ts';

// Kamailio accepts what sipha writes: users created, changed and deleted through lib/users and
// the REST API register (or stop registering) with digest auth through sipp at p1 and p2.

let lab: () => Lab;
let users: typeof import('@/lib/users/mutations');
let token: string;

async function replicated(username: string, present: boolean, node = 'd2') {
  let ha1: string | undefined;
  await until(
    `${username} ${present ? 'on' : 'gone from'} ${node}`,
    async () => {
      const rows = await adminQuery(
        lab().dir,
        node,
        'SELECT ha1 FROM kamailio.subscriber WHERE username = ? AND domain = ?',
        [username, lab().state.domain],
      );
      ha1 = rows[0]?.ha1 as string | undefined;
      return rows.length > 0 === present;
    },
    20_000,
  );
  return ha1;
}

describe('Kamailio accepts what sipha writes', () => {
  lab = useLab({ nodes: 2 });

  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    users = await import('@/lib/users/mutations');
    token = (
      await (
        await import('@/lib/auth/tokens')
      ).createToken({ name: 'it-kamailio', role: 'operator', createdBy: 'test' })
    ).token;
  });

  afterAll(async () => {
    await (await import('@/lib/db')).closeConnectionList();
  });

  it('a created user registers at p1, and at p2 once replicated', async () => {
    const dir = lab().dir;
    const domain = lab().state.domain;
    const r = await users.createUser({ username: 'it-alice', domain, password: 'alicepass1' });
    expect(r.node).toBe('d1');
    expect(r.warning).toBeUndefined();
    expect(
      await register(dir, { site: 'p1', users: [{ username: 'it-alice', password: 'alicepass1' }] }),
    ).toEqual({ ok: 1, failed: 0 });
    await replicated('it-alice', true);
    expect(
      await register(dir, { site: 'p2', users: [{ username: 'it-alice', password: 'alicepass1' }] }),
    ).toEqual({ ok: 1, failed: 0 });
    const [row] = await adminQuery(dir, 'd1', 'SELECT password FROM kamailio.subscriber WHERE username = ?', [
      'it-alice',
    ]);
    expect(row.password).toBe(''); // storePlaintextPasswords is off in the lab
  });

  it('a wrong password is refused (the test can fail)', async () => {
    expect(
      await register(lab().dir, { site: 'p1', users: [{ username: 'it-alice', password: 'not-the-one' }] }),
    ).toEqual({ ok: 0, failed: 1 });
  });

  it('a changed password takes effect at p1 and, replicated, at p2', async () => {
    const dir = lab().dir;
    await users.setPassword({ username: 'it-alice', domain: lab().state.domain, password: 'alicepass2' });
    expect(
      await register(dir, { site: 'p1', users: [{ username: 'it-alice', password: 'alicepass1' }] }),
    ).toEqual({ ok: 0, failed: 1 });
    expect(
      await register(dir, { site: 'p1', users: [{ username: 'it-alice', password: 'alicepass2' }] }),
    ).toEqual({ ok: 1, failed: 0 });
    const d1 = await replicated('it-alice', true, 'd1');
    await until('the new ha1 on d2', async () => (await replicated('it-alice', true)) === d1, 20_000);
    expect(
      await register(dir, { site: 'p2', users: [{ username: 'it-alice', password: 'alicepass2' }] }),
    ).toEqual({ ok: 1, failed: 0 });
  });

  it('after deletion p1 challenges again and the registration fails; location rows are gone', async () => {
    const dir = lab().dir;
    const domain = lab().state.domain;
    const before = await adminQuery(
      dir,
      'd1',
      'SELECT COUNT(*) AS n FROM kamailio.location WHERE username = ? AND domain = ?',
      ['it-alice', domain],
    );
    expect(Number(before[0].n)).toBeGreaterThan(0);
    const r = await users.deleteUser({ username: 'it-alice', domain });
    expect(r.registrations).toBe(Number(before[0].n));
    const after = await adminQuery(
      dir,
      'd1',
      'SELECT COUNT(*) AS n FROM kamailio.location WHERE username = ? AND domain = ?',
      ['it-alice', domain],
    );
    expect(Number(after[0].n)).toBe(0);
    expect(
      await register(dir, { site: 'p1', users: [{ username: 'it-alice', password: 'alicepass2' }] }),
    ).toEqual({ ok: 0, failed: 1 });
    await replicated('it-alice', false);
    expect(
      await register(dir, { site: 'p2', users: [{ username: 'it-alice', password: 'alicepass2' }] }),
    ).toEqual({ ok: 0, failed: 1 });
  });

  it('a user created through the REST API with a bearer token registers; the audit row names the token', async () => {
    const { POST } = await import('@/app/api/v1/users/route');
    const res = await POST(
      new Request('http://console/api/v1/users', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'it-bob' }),
      }),
      {},
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { password: string; node: string; user: { domain: string } };
    expect(body.user.domain).toBe(lab().state.domain);
    expect(body.password).toHaveLength(16);
    expect(
      await register(lab().dir, { site: 'p1', users: [{ username: 'it-bob', password: body.password }] }),
    ).toEqual({ ok: 1, failed: 0 });
    const audit = await adminQuery(
      lab().dir,
      'd1',
      "SELECT actor, node, outcome, detail FROM kamailio.sipha_audit WHERE action = 'user.create' AND target = ?",
      [`it-bob@${lab().state.domain}`],
    );
    expect(audit).toEqual([
      { actor: 'token:it-kamailio', node: 'd1', outcome: 'ok', detail: 'api; password generated' },
    ]);
    expect(JSON.stringify(audit)).not.toContain(body.password);
  });

  it('creating the same user again is the field error "already exists", not a crash', async () => {
    await expect(
      users.createUser({ username: 'it-bob', domain: lab().state.domain, password: 'whatever1' }),
    ).rejects.toMatchObject({ code: 'conflict:user', fields: { username: ['already exists'] } });
  });

  it('lists with keyset pages (next and back), prefix and domain filters, and counts', async () => {
    const { listUsers } = await import('@/lib/users/queries');
    const seen: string[] = [];
    let page = await listUsers({ prefix: 'user1', limit: 30 });
    expect(page.prev).toBeNull();
    expect(page.matching).toBe(100); // the lab seeds user1000..user1099
    for (;;) {
      seen.push(...page.users.map((u) => u.username));
      if (!page.next) break;
      page = await listUsers({ prefix: 'user1', limit: 30, after: page.next });
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => `user${1000 + i}`));
    const back = await listUsers({ prefix: 'user1', limit: 30, before: page.prev });
    expect(back.users.map((u) => u.username)).toEqual(seen.slice(60, 90));
    expect(back.next).not.toBeNull();
    expect((await listUsers({ prefix: 'user10_', limit: 5 })).matching).toBe(0); // _ is literal, not a wildcard
    expect((await listUsers({ prefix: 'user105', domain: lab().state.domain })).users).toHaveLength(10);
    expect((await listUsers({ prefix: 'user105', domain: 'other.test' })).matching).toBe(0);
  });

  // Last: it fails d1 over for good (fenced until restored).
  it('with d1 killed, an add lands on d2, says so with a warning, and registers at p2', async () => {
    await signal(lab().dir, 'd1', 'kill');
    const r = await users.createUser({
      username: 'it-dave',
      domain: lab().state.domain,
      password: 'davepass1',
    });
    expect(r.node).toBe('d2');
    expect(r.warning).toBe('Written to d2, not the first node d1: d1 is down or fenced.');
    expect(
      await register(lab().dir, { site: 'p2', users: [{ username: 'it-dave', password: 'davepass1' }] }),
    ).toEqual({ ok: 1, failed: 0 });
  });
});
