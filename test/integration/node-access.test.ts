import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionList } from '@/lib/db/connection-list';
import { plainRow } from '@/lib/db/driver';
import { AppError } from '@/lib/errors';
import { probeWsrep } from '@/lib/galera/probe';
import { openAdmin } from '@/lib/wizard/admin';
import { createIO } from '@/lib/wizard/io';
import { adminQuery } from '../../lab/index.ts';
import { labConfig, openList } from '../helpers/console-list';
import { useLab } from '../helpers/lab';

// One way to reach a node: the connection list's writes and reads, its statements on a named
// node, its dedicated sessions and the wizard's sessions all use one set of driver options, so
// one column comes back as one JavaScript type whichever path read it.

const RUID = 'node-access-shape-1';
const SELECT = `SELECT id, expires, CAST(5 AS SIGNED) AS small, CAST(9007199254740993 AS UNSIGNED) AS big
  FROM kamailio.location WHERE ruid = '${RUID}'`;

describe('reaching a node', () => {
  const lab = useLab({ nodes: 2, fresh: true, sip: false });
  let list: ConnectionList;

  beforeAll(async () => {
    list = await openList(lab().state.configPath);
  });
  afterAll(async () => {
    await list?.close();
  });

  it('gives one column one shape on the write path, on a named node, on a session and in the wizard', async () => {
    const expires = new Date('2030-05-28T21:32:15Z');
    const written = await list.write({
      run: async (db) => {
        await sql`INSERT INTO location (ruid, username, contact, expires) VALUES (${RUID}, 'shape', 'sip:shape@127.0.0.1', ${expires})`.execute(
          db,
        );
        return (await sql.raw<Record<string, unknown>>(SELECT).execute(db)).rows[0]!;
      },
    });
    expect(written.node).toBe('d1');
    const onNode = (await list.on('d1').rows(SELECT))[0]!;
    const onSession = await list.session('d1', async (s) => (await s.rows(SELECT))[0]!);
    const d1 = labConfig(lab().state.configPath).nodes.find((n) => n.name === 'd1')!;
    const admin = await openAdmin({
      ctx: { openSession: (n, use) => list.openSession(n, use) },
      node: d1,
    });
    const wizard = await createIO({ dryRun: false })
      .read(admin, SELECT)
      .finally(() => admin.conn.close());

    for (const row of [written.value, onNode, onSession, wizard[0]!]) {
      expect(row.expires).toBeInstanceOf(Date);
      expect((row.expires as Date).getTime()).toBe(expires.getTime());
      expect(typeof row.id).toBe('number');
      expect(row.small).toBe(5);
      expect(row.big).toBe('9007199254740993'); // beyond 2^53: digits, never a rounded number
    }
    // What restore's row diff holds and writes back: the DATETIME literal the server stores.
    expect(plainRow(onSession).expires).toBe('2030-05-28 21:32:15');
    const [stored] = await adminQuery(
      lab().dir,
      'd1',
      `SELECT CAST(expires AS CHAR) AS e FROM kamailio.location WHERE ruid = '${RUID}'`,
    );
    expect(stored?.e).toBe('2030-05-28 21:32:15');
  });

  it('ends a dedicated session after its work, and drops it when the work fails', async () => {
    const ids = async () =>
      (
        await adminQuery(
          lab().dir,
          'd1',
          "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER <> 'root'",
        )
      ).map((r) => Number(r.id));
    const ok = await list.session(
      'd1',
      async (s) => (await s.rows<{ id: number }>('SELECT CONNECTION_ID() AS id'))[0]!.id,
    );
    let failed = 0;
    await expect(
      list.session('d1', async (s) => {
        failed = (await s.rows<{ id: number }>('SELECT CONNECTION_ID() AS id'))[0]!.id;
        await s.rows('SELECT * FROM no_such_table');
      }),
    ).rejects.toMatchObject({ errno: 1146 });
    await expect.poll(ids, { timeout: 5000 }).not.toContain(ok);
    await expect.poll(ids, { timeout: 5000 }).not.toContain(failed);
    expect(failed).toBeGreaterThan(0);
  });

  it('bounds a session statement by its timeout and says so in words when a node cannot be reached', async () => {
    await expect(
      list.session('d1', (s) => s.rows('SELECT SLEEP(5)'), { statementTimeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
    const cfg = labConfig(lab().state.configPath);
    const moved = new ConnectionList(
      {
        ...cfg,
        nodes: cfg.nodes.map((n) => (n.name === 'd2' ? { ...n, port: 1, password: 'secret-not-shown' } : n)),
      },
      'test',
    );
    try {
      const err = await moved.openSession('d2').catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('unavailable:database');
      expect((err as AppError).message).toBe('Cannot open a session on d2: connection refused.');
    } finally {
      await moved.close();
    }
  });

  it("probes a node's wsrep status on a short session: up without Galera, refused in words", async () => {
    const d1 = labConfig(lab().state.configPath).nodes.find((n) => n.name === 'd1')!;
    expect(await probeWsrep(d1, 1000)).toEqual({ ok: true, status: null });
    expect(await probeWsrep({ ...d1, port: 1 }, 1000)).toEqual({ ok: false, error: 'connection refused' });
  });
});
