import 'server-only';
import { type Connection, createConnection } from 'mysql2/promise';
import { AppError } from '@/lib/errors';
import { ROW_KEY } from './divergence';
import type { NodeCtx } from './node-io';
import type { RepairChange } from './repair-types';

// Applies a repair's changes on the two nodes, each change on the node it names, outside
// replication (sql_log_bin = 0): the same change replicated to the other node would collide
// there (a row copied to one side already exists on the other). Both nodes run their changes
// in one transaction each and commit only when every statement on both succeeded; a deleted
// location row must still be the version that was previewed (a phone refreshing it meanwhile
// aborts the repair), so nothing is lost to a race.

const ident = (s: string) => `\`${s.replaceAll('`', '``')}\``;

async function open(c: NodeCtx): Promise<Connection> {
  const cfg = c.node.handle.config;
  const conn = await createConnection({
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    connectTimeout: 5000,
    dateStrings: true,
  }).catch((err) => {
    throw new AppError('unavailable:database', `${c.name} does not answer a new connection.`, { cause: err });
  });
  conn.on('error', () => undefined);
  await conn.query("SET SESSION time_zone = '+00:00'");
  await conn.query('SET SESSION sql_log_bin = 0');
  await conn.query('START TRANSACTION');
  return conn;
}

async function run(conn: Connection, ch: RepairChange): Promise<void> {
  const key = ROW_KEY[ch.table];
  if (ch.op === 'delete') {
    const guard = ch.table === 'location' ? ' AND `id` = ? AND `expires` = ?' : '';
    const params = ch.table === 'location' ? [ch.key, ch.row.id, ch.row.expires] : [ch.key];
    const [r] = await conn.query(`DELETE FROM ${ident(ch.table)} WHERE ${ident(key)} = ?${guard}`, params);
    if ((r as { affectedRows: number }).affectedRows !== 1)
      throw new AppError('conflict:state', `${ch.table} ${ch.key} changed since the preview: preview again.`);
    return;
  }
  const cols = Object.keys(ch.row);
  await conn.query(
    `INSERT INTO ${ident(ch.table)} (${cols.map(ident).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    cols.map((c) => ch.row[c]),
  );
}

export async function applyChanges({
  survivor,
  target,
  changes,
}: {
  survivor: NodeCtx;
  target: NodeCtx;
  changes: RepairChange[];
}): Promise<void> {
  const conns = { survivor: await open(survivor), target: await open(target) };
  try {
    // Deletes first: an insert may reuse a key or an id a delete frees.
    const ordered = [...changes].sort((a, b) => (a.op === b.op ? 0 : a.op === 'delete' ? -1 : 1));
    for (const ch of ordered) {
      try {
        await run(conns[ch.node], ch);
      } catch (err) {
        if (err instanceof AppError) throw err;
        const code = (err as { code?: string }).code ?? 'error';
        throw new AppError(
          'conflict:state',
          `${ch.op} of ${ch.table} ${ch.key} on the ${ch.node === 'survivor' ? 'survivor' : 'returning node'} failed (${code}); nothing was changed.`,
        );
      }
    }
    await conns.target.query('COMMIT');
    await conns.survivor.query('COMMIT');
  } finally {
    for (const c of Object.values(conns)) {
      await c.query('ROLLBACK').catch(() => undefined);
      await c.end().catch(() => c.destroy());
    }
  }
}
