import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery } from '../../lab/index.ts';
import { type Lab, useLab } from '../helpers/lab';

// Issue 17: the optional API-token maximum age and session idle timeout from the config.

let lab: () => Lab;

describe('token expiry and idle sessions', () => {
  lab = useLab({ nodes: 2, sip: false });

  beforeAll(() => {
    const cfg = JSON.parse(readFileSync(lab().state.configPath, 'utf8'));
    const path = join(lab().dir, 'expiry.config.json');
    writeFileSync(
      path,
      JSON.stringify({ ...cfg, apiTokens: { maxAgeDays: 1 }, session: { idleMinutes: 5 } }),
    );
    process.env.SIPHA_CONFIG = path;
  });

  afterAll(async () => {
    const { getConnectionList } = await import('@/lib/db');
    await (await getConnectionList()).close();
    delete (globalThis as { __siphaList?: unknown }).__siphaList;
  });

  it('a token older than apiTokens.maxAgeDays is refused, a new one accepted', async () => {
    const { createToken, tokenUser } = await import('@/lib/auth/tokens');
    const old = await createToken({ name: 'it-old', role: 'viewer', createdBy: 'test' });
    const fresh = await createToken({ name: 'it-fresh', role: 'viewer', createdBy: 'test' });
    await adminQuery(
      lab().dir,
      'd1',
      "UPDATE kamailio.sipha_api_token SET created_at = NOW() - INTERVAL 2 DAY WHERE name = 'it-old'",
    );
    expect(await tokenUser(old.token)).toBeNull();
    expect(await tokenUser(fresh.token)).toMatchObject({ actor: 'token:it-fresh' });
  });

  it('a session unused for longer than session.idleMinutes is signed out', async () => {
    const { createAccount } = await import('@/lib/auth/accounts');
    const { sessionFromToken, sha256 } = await import('@/lib/auth/session');
    await createAccount({ username: 'it-idle', role: 'viewer' });
    for (const [token, idle] of [
      ['idle-token', 10],
      ['busy-token', 1],
    ] as const)
      await adminQuery(
        lab().dir,
        'd1',
        `INSERT INTO kamailio.sipha_session (id_hash, account_id, expires_at, last_seen_at)
         SELECT ?, id, NOW() + INTERVAL 1 HOUR, NOW() - INTERVAL ? MINUTE FROM kamailio.sipha_account WHERE username = 'it-idle'`,
        [sha256(token), idle],
      );
    expect(await sessionFromToken('idle-token')).toBeNull();
    expect(await sessionFromToken('busy-token')).toMatchObject({ username: 'it-idle' });
  });
});
