import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, register } from '../../lab/index.ts';
import { type Lab, useLab } from '../helpers/lab';

// Issue 17 against a real lab: the login throttle (atomic, per source and typed name, the same
// for unknown names) and domains in any letter case, checked with a real REGISTER at Kamailio.

let lab: () => Lab;
let token: string;

describe('hardening against a real lab', () => {
  lab = useLab({ nodes: 2 });

  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    const { createToken } = await import('@/lib/auth/tokens');
    token = (await createToken({ name: 'it-hardening', role: 'operator', createdBy: 'test' })).token;
  });

  afterAll(async () => {
    const { getConnectionList } = await import('@/lib/db');
    await (await getConnectionList()).close();
    delete (globalThis as { __siphaList?: unknown }).__siphaList;
  });

  const throttle = async (username: string) =>
    adminQuery<{ source: string; failures: number }>(
      lab().dir,
      'd1',
      'SELECT source, failures FROM kamailio.sipha_login_throttle WHERE username = ? ORDER BY source',
      [username],
    );

  it('20 parallel wrong guesses are all counted', async () => {
    const { checkLogin, createAccount } = await import('@/lib/auth/accounts');
    await createAccount({ username: 'it-parallel', role: 'viewer' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        checkLogin({ username: 'it-parallel', password: `wrong-${i}`, address: '203.0.113.20' }),
      ),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await throttle('it-parallel')).toEqual([{ source: 'ip:203.0.113.20', failures: 20 }]);
  });

  it('an unknown name and a real one get the same answers and the same bookkeeping', async () => {
    const { checkLogin, createAccount } = await import('@/lib/auth/accounts');
    await createAccount({ username: 'it-real', role: 'viewer' });
    const answers = async (username: string, address: string) => {
      const out = [];
      for (let i = 0; i < 6; i++) {
        const r = await checkLogin({ username, password: `wrong-${i}`, address });
        out.push(r.ok ? 'ok' : `${r.reason}:${r.retryAfterSec === undefined ? '-' : 'n'}`);
      }
      return out;
    };
    const real = await answers('it-real', '198.51.100.1');
    expect(real).toEqual(await answers('it-ghost', '198.51.100.1'));
    expect(real.slice(-2)).toEqual(['locked:n', 'locked:n']);
    expect(await throttle('it-real')).toEqual([{ source: 'ip:198.51.100.1', failures: 5 }]);
    expect(await throttle('it-ghost')).toEqual([{ source: 'ip:198.51.100.1', failures: 5 }]);
  });

  it('the owner signs in from another source, and from a known browser, while the attacker is throttled', async () => {
    const { checkLogin, createAccount } = await import('@/lib/auth/accounts');
    const owner = await createAccount({ username: 'it-owner', role: 'admin' });
    const first = await checkLogin({ username: 'it-owner', password: owner.password, address: '192.0.2.7' });
    if (!first.ok) throw new Error('the owner could not sign in');
    for (let i = 0; i < 8; i++)
      await checkLogin({ username: 'it-owner', password: `guess-${i}`, address: '192.0.2.66' });
    const attacker = await checkLogin({
      username: 'it-owner',
      password: owner.password,
      address: '192.0.2.66',
    });
    expect(attacker).toMatchObject({ ok: false, reason: 'locked' });
    expect(
      await checkLogin({ username: 'it-owner', password: owner.password, address: '192.0.2.7' }),
    ).toMatchObject({ ok: true });
    // Without a trusted proxy every stranger is one source; the owner's device cookie is another.
    expect(
      await checkLogin({
        username: 'it-owner',
        password: owner.password,
        address: '192.0.2.66',
        device: first.device,
      }),
    ).toMatchObject({ ok: true });
    const forged = `${first.device.split('.')[0]}.forged`;
    expect(
      await checkLogin({
        username: 'it-owner',
        password: owner.password,
        address: '192.0.2.66',
        device: forged,
      }),
    ).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('a PATCH or an import line with LAB.SIPHA.TEST keeps the user registering', async () => {
    const { dir } = lab();
    const { PATCH } = await import('@/app/api/v1/users/[domain]/[username]/route');
    const res = await PATCH(
      new Request('http://console/api/v1/users/LAB.SIPHA.TEST/user1001', {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'upper-case-1001' }),
      }),
      { params: Promise.resolve({ domain: 'LAB.SIPHA.TEST', username: 'user1001' }) },
    );
    expect(res.status).toBe(200);
    expect(
      await register(dir, { site: 'p1', users: [{ username: 'user1001', password: 'upper-case-1001' }] }),
    ).toEqual({ ok: 1, failed: 0 });

    const { importUsers } = await import('@/lib/users/import');
    const s = await importUsers({
      input: Readable.from([Buffer.from('user1002,upper-case-1002,LAB.SIPHA.TEST\n')]),
    });
    expect(s).toMatchObject({ updated: 1, invalid: 0 });
    expect(
      await register(dir, { site: 'p1', users: [{ username: 'user1002', password: 'upper-case-1002' }] }),
    ).toEqual({ ok: 1, failed: 0 });
    const rows = await adminQuery(
      dir,
      'd1',
      "SELECT BINARY domain AS domain FROM kamailio.subscriber WHERE username IN ('user1001', 'user1002')",
    );
    expect(rows.map((r) => String(r.domain))).toEqual(['lab.sipha.test', 'lab.sipha.test']);
  });
});
