import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { adminQuery, signal, start } from '../../lab/index.ts';
import { openList, probeRounds } from '../helpers/console-list';
import { useLab } from '../helpers/lab';
import { until } from '../helpers/poll.ts';

// The paper's rules for the console's writes, against real MariaDB nodes in two-way
// replication, with real signals.

const TABLE = 'sipha_test_write';

async function createTable(dir: string) {
  // A non-unique key column, so a write applied twice would show as two rows.
  await adminQuery(
    dir,
    'd1',
    `CREATE TABLE IF NOT EXISTS kamailio.${TABLE} (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL, KEY (k))`,
  );
}

function writeKey(list: ConnectionList, k: string) {
  return list.write({
    run: async (db) => {
      await sql`INSERT INTO ${sql.table(TABLE)} (k) VALUES (${k})`.execute(db);
      return k;
    },
    verify: async (db) => {
      const r = await sql<{
        n: number;
      }>`SELECT COUNT(*) AS n FROM ${sql.table(TABLE)} WHERE k = ${k}`.execute(db);
      return Number(r.rows[0]?.n) > 0 ? k : undefined;
    },
  });
}

/**
 * The part of a node's binlog position that the node itself originated (its own gtid domain):
 * events replicated from d2 move d2's domain in d1's binlog, a write made on d1 moves d1's.
 */
async function ownBinlogPos(dir: string, node: string): Promise<string> {
  const rows = await adminQuery<{ p: string; d: number }>(
    dir,
    node,
    'SELECT @@gtid_binlog_pos AS p, @@gtid_domain_id AS d',
  );
  const { p, d } = rows[0]!;
  return p.split(',').find((g) => g.startsWith(`${d}-`)) ?? '';
}

describe('connection list', () => {
  const lab = useLab({ nodes: 2 });
  let list: ConnectionList | undefined;

  afterEach(async () => {
    await list?.close();
    list = undefined;
  });

  it('keeps query errors on d1: a duplicate key or a syntax error does not fail over', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath);
    await createTable(dir);
    await adminQuery(
      dir,
      'd1',
      `CREATE TABLE IF NOT EXISTS kamailio.sipha_test_unique (k VARCHAR(8) PRIMARY KEY)`,
    );
    await list.write({ run: (db) => sql`INSERT INTO sipha_test_unique VALUES ('a')`.execute(db) });
    const dup = list.write({ run: (db) => sql`INSERT INTO sipha_test_unique VALUES ('a')`.execute(db) });
    await expect(dup).rejects.toMatchObject({ errno: 1062 });
    const bad = list.write({ run: (db) => sql`INSERT INTO nosuchtable VALUES (1)`.execute(db) });
    await expect(bad).rejects.toMatchObject({ errno: 1146 });
    const syntax = list.write({ run: (db) => sql.raw('INSERT INTO WHERE').execute(db) });
    await expect(syntax).rejects.toMatchObject({ errno: 1064 });
    expect(list.active()?.handle.name).toBe('d1');
    expect(list.isFenced('d1')).toBe(false);
    expect((await writeKey(list, 'after-errors')).node).toBe('d1');
  });

  it('a killed connection on a live d1 is retried on d1, not failed over', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath);
    await createTable(dir);
    // A write whose connection is killed mid-transaction: outcome unknown, so verified on d1
    // (a fresh probe says d1 is alive) and applied there exactly once.
    const k = 'killed-mid-write';
    let kills = 0;
    const result = await list.write({
      run: (db) =>
        db.transaction().execute(async (trx) => {
          if (kills++ === 0) {
            const id = await sql<{ id: number }>`SELECT CONNECTION_ID() AS id`.execute(trx);
            await adminQuery(dir, 'd1', `KILL CONNECTION ${Number(id.rows[0]!.id)}`);
          }
          await sql`INSERT INTO ${sql.table(TABLE)} (k) VALUES (${k})`.execute(trx);
          return k;
        }),
      verify: async (db) => {
        const r = await sql<{
          n: number;
        }>`SELECT COUNT(*) AS n FROM ${sql.table(TABLE)} WHERE k = ${k}`.execute(db);
        return Number(r.rows[0]?.n) > 0 ? k : undefined;
      },
    });
    expect(kills).toBe(2);
    expect(result.node).toBe('d1');
    expect(list.active()?.handle.name).toBe('d1');
    expect(list.isFenced('d1')).toBe(false);
    const rows = await adminQuery<{ n: number }>(
      dir,
      'd1',
      `SELECT COUNT(*) AS n FROM kamailio.${TABLE} WHERE k = '${k}'`,
    );
    expect(Number(rows[0]!.n)).toBe(1);
    expect((await writeKey(list, 'after-kill')).node).toBe('d1');
  });

  it('SIGKILL of d1 under 4 writers: every acknowledged write is on d2 once, failures are absent or flagged', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath);
    await createTable(dir);
    const acked: { k: string; node: string }[] = [];
    const failed: { k: string; code: string }[] = [];
    let killed = false;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 2000; i++) {
        const k = `w${w}-${i}`;
        try {
          const r = await writeKey(list!, k);
          acked.push({ k, node: r.node });
        } catch (err) {
          failed.push({ k, code: (err as { code?: string }).code ?? 'unknown' });
        }
        if (killed && acked.filter((a) => a.node === 'd2').length > 200) stop = true;
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await until('200 acknowledged writes', () => acked.length > 200, 20_000);
    await signal(dir, 'd1', 'kill');
    killed = true;
    await Promise.all(writers);

    expect(acked.filter((a) => a.node === 'd2').length).toBeGreaterThan(200);
    const rows = await adminQuery<{ k: string; n: number }>(
      dir,
      'd2',
      `SELECT k, COUNT(*) AS n FROM kamailio.${TABLE} GROUP BY k`,
    );
    const onD2 = new Map(rows.map((r) => [r.k, Number(r.n)]));
    for (const a of acked) expect(onD2.get(a.k), `acknowledged ${a.k} (${a.node})`).toBe(1);
    for (const [k, n] of onD2) expect(n, `${k} twice`).toBe(1);
    // A failure is either a clean "not written" (absent) or explicitly flagged as unknown.
    for (const f of failed) if (onD2.has(f.k)) expect(f.code).toBe('unknown_outcome:database');
    expect(list.isFenced('d1')).toBe(true);
    expect(list.active()?.handle.name).toBe('d2');

    // d1 comes back: it stays fenced, read_only, and the console writes nothing to it.
    await start(dir, 'd1');
    await until(
      'd1 reachable and read-only',
      () => list!.nodes[0]!.reachable === true && list!.nodes[0]!.readOnly === true,
      10_000,
    );
    const before = await ownBinlogPos(dir, 'd1');
    for (let i = 0; i < 20; i++) expect((await writeKey(list, `after-restart-${i}`)).node).toBe('d2');
    await probeRounds(list, 'd1', 4);
    expect(await ownBinlogPos(dir, 'd1')).toBe(before);
    expect(list.roleOf(list.nodes[0]!)).toBe('fenced');
    const ro = await adminQuery<{ ro: number }>(dir, 'd1', 'SELECT @@global.read_only AS ro');
    expect(Number(ro[0]!.ro)).toBe(1);

    // A console restart while failed over keeps d1 fenced (the state lives on d2).
    await list.close();
    list = await openList(state.configPath);
    expect(list.isFenced('d1')).toBe(true);
    expect(list.active()?.handle.name).toBe('d2');
    expect((await writeKey(list, 'after-console-restart')).node).toBe('d2');

    // Two console processes agree: when one lifts the fence (after d1 caught up), the other
    // follows within a few seconds and writes to d1 again.
    const other = await openList(state.configPath);
    try {
      expect(other.isFenced('d1')).toBe(true);
      const [{ pos }] = (await adminQuery<{ pos: string }>(dir, 'd2', 'SELECT @@gtid_binlog_pos AS pos')) as [
        { pos: string },
      ];
      await adminQuery(dir, 'd1', 'SELECT MASTER_GTID_WAIT(?, 10)', [pos]);
      await list.setFenced('d1', false, 'test: caught up', 'test');
      expect(list.active()?.handle.name).toBe('d1');
      await until('the other console unfences d1', () => !other.isFenced('d1'), 5000);
      expect((await writeKey(other, 'other-console-after-unfence')).node).toBe('d1');
    } finally {
      await other.close();
    }
  });
});
