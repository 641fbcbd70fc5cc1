import 'server-only';
import { plain } from '../dialect';
import { quoteIdent } from '../dialect/quote';
import type { AdminConn } from './admin';
import type { StepIO } from './io';
import { deferKeys } from './snapshot-keys';
import { streamRows, tupleExpression } from './snapshot-stream';

// A consistent copy of one database over SQL, without a global lock on MariaDB: the source
// opens START TRANSACTION WITH CONSISTENT SNAPSHOT, which also pins the binlog coordinates, and
// streams every table inside that one snapshot. The source server formats each row as a SQL
// tuple (QUOTE/HEX, in C), Node only joins tuples into multi-row INSERTs of a few MB, and one
// INSERT runs on the target while the next batch is read: memory stays flat for any size.

export interface SnapshotPosition {
  file: string;
  position: number;
  gtid: string;
}

export interface CopiedTable {
  name: string;
  rows: number;
}

async function openSnapshot({ source, io }: { source: AdminConn; io: StepIO }): Promise<SnapshotPosition> {
  await io.exec(source, plain("SET SESSION time_zone = '+00:00'"));
  let file = '';
  let position = 0;
  let gtid = '';
  for (const step of source.dialect.consistentSnapshot()) {
    const rows = await io.exec(source, step.statement);
    if (step.role === 'coordinates') {
      for (const r of rows) {
        const name = String(r.Variable_name ?? '').toLowerCase(); // MariaDB says Binlog_snapshot_file
        if (name === 'binlog_snapshot_file') file = String(r.Value);
        if (name === 'binlog_snapshot_position') position = Number(r.Value);
        if (r.File !== undefined) [file, position] = [String(r.File), Number(r.Position)];
      }
    }
    if (step.role === 'gtid') gtid = String(rows[0]?.gtid_executed ?? '');
  }
  const byPos = source.dialect.gtidFromBinlogPos({ file, position });
  if (byPos) gtid = String((await io.exec(source, byPos))[0]?.gtid ?? '');
  return { file, position, gtid };
}

export async function copySnapshot({
  source,
  target,
  database,
  io,
  filter,
  onRows,
}: {
  source: AdminConn;
  target: AdminConn;
  database: string;
  io: StepIO;
  filter?: (table: string) => boolean;
  onRows?: (done: number, total: number, table: string) => void;
}): Promise<{ position: SnapshotPosition; tables: CopiedTable[]; targetPos: string }> {
  const [schema] = await io.read(
    source,
    plain(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS coll FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [database],
    ),
  );
  if (!schema) throw new Error(`${source.name} has no database ${database}`);
  const tableRows = await io.read(
    source,
    plain(
      "SELECT TABLE_NAME AS t, TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
      [database],
    ),
  );
  const tables = tableRows
    .map((r) => ({ name: String(r.t), estimate: Number(r.n ?? 0) }))
    .filter((t) => !filter || filter(t.name));
  const total = Math.max(
    1,
    tables.reduce((a, t) => a + t.estimate, 0),
  );
  const [pkt] = await io.read(target, 'SELECT @@GLOBAL.max_allowed_packet AS p', { quiet: true });
  const batchBytes = Math.min(4 << 20, Math.floor(Number(pkt?.p ?? 16 << 20) / 2));

  for (const s of [
    'SET SESSION sql_log_bin = 0',
    'SET SESSION foreign_key_checks = 0',
    'SET SESSION unique_checks = 0',
    "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
    "SET SESSION time_zone = '+00:00'",
  ])
    await io.exec(target, plain(s));
  await io.exec(
    target,
    plain(
      `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)} CHARACTER SET ${schema.cs} COLLATE ${schema.coll}`,
    ),
  );
  await io.exec(target, plain(`USE ${quoteIdent(database)}`));

  const position = await openSnapshot({ source, io });
  const copied: CopiedTable[] = [];
  let done = 0;
  let targetPos = '';
  // Built under temporary names, filled while every table involved is write-locked on the
  // target, swapped in, and the target's own binlog position read before the lock goes: the
  // console's heartbeat (or anything else) writing there cannot slip a row between the copy
  // and that position, so every local write after it reaches the other nodes, none before.
  const temp = (i: number) => `_sipha_copy_${i}`;
  try {
    const plan: { name: string; tmp: string; select: string; keys: string[] }[] = [];
    for (const [i, t] of tables.entries()) {
      const [create] = await io.read(
        source,
        `SHOW CREATE TABLE ${quoteIdent(database)}.${quoteIdent(t.name)}`,
      );
      const cols = await io.read(
        source,
        plain(
          'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
          [database, t.name],
        ),
        { quiet: true },
      );
      const { create: bare, keys } = deferKeys(String(create?.['Create Table']));
      await io.exec(target, plain(`DROP TABLE IF EXISTS ${quoteIdent(temp(i))}`));
      await io.exec(
        target,
        plain(bare.replace(/^CREATE TABLE `(?:[^`]|``)+`/, `CREATE TABLE ${quoteIdent(temp(i))}`)),
      );
      const select = `SELECT ${tupleExpression(cols.map((c) => ({ name: String(c.name), type: String(c.type).toLowerCase() })))} FROM ${quoteIdent(database)}.${quoteIdent(t.name)}`;
      plan.push({ name: t.name, tmp: temp(i), select, keys });
    }
    const existing = new Set(
      (
        await io.read(
          target,
          plain(
            "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
            [database],
          ),
          { quiet: true },
        )
      ).map((r) => String(r.t)),
    );
    const locks = [...plan.map((p) => p.tmp), ...plan.filter((p) => existing.has(p.name)).map((p) => p.name)];
    if (locks.length)
      await io.exec(target, plain(`LOCK TABLES ${locks.map((n) => `${quoteIdent(n)} WRITE`).join(', ')}`));
    try {
      for (const p of plan) {
        io.note(
          source.name,
          `SELECT <row as SQL tuple> FROM ${quoteIdent(database)}.${quoteIdent(p.name)} (streamed inside the snapshot)`,
        );
        const { rows, statements } = io.dryRun
          ? { rows: 0, statements: 0 }
          : await streamRows({
              source,
              target,
              select: p.select,
              table: p.tmp,
              batchBytes,
              onBatch: (n) => {
                done += n;
                onRows?.(done, Math.max(total, done), p.name);
              },
            });
        if (!io.dryRun)
          io.note(
            target.name,
            `INSERT INTO ${quoteIdent(p.tmp)} VALUES … : ${rows} rows of ${p.name} in ${statements} statements`,
          );
        if (p.keys.length) {
          onRows?.(done, Math.max(total, done), `${p.name} (building ${p.keys.length} indexes)`);
          await io.exec(
            target,
            plain(`ALTER TABLE ${quoteIdent(p.tmp)} ${p.keys.map((k) => `ADD ${k}`).join(', ')}`),
          );
        }
        copied.push({ name: p.name, rows });
      }
      // Read before the swap: a renamed table is no longer covered by LOCK TABLES, so a local
      // write may land in it at once; it is then after this position and reaches the peers.
      const [pos] = await io.read(target, target.dialect.gtidPositions());
      targetPos = String(pos?.gtid_binlog_pos ?? '');
      for (const p of plan) {
        if (existing.has(p.name)) await io.exec(target, plain(`DROP TABLE ${quoteIdent(p.name)}`));
        await io.exec(target, plain(`ALTER TABLE ${quoteIdent(p.tmp)} RENAME TO ${quoteIdent(p.name)}`));
      }
    } finally {
      if (locks.length) await io.exec(target, plain('UNLOCK TABLES'));
    }
  } finally {
    await source.conn.rows('COMMIT').catch(() => undefined);
  }
  await io.exec(target, plain('SET SESSION sql_log_bin = 1'));
  return { position, tables: copied, targetPos };
}
