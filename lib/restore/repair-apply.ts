import 'server-only';
import type { Session } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import { ROW_KEY } from './divergence';
import { type NodeCtx, openPair } from './node-io';
import type { RepairChange } from './repair-types';

// Applies a repair's changes on the two nodes, each change on the node it names, outside
// replication (sql_log_bin = 0): the same change replicated to the other node would collide
// there (a row copied to one side already exists on the other). Both nodes run their changes
// in one transaction each and commit only when every statement on both succeeded; a deleted
// location row must still be the version that was previewed (a phone refreshing it meanwhile
// aborts the repair), so nothing is lost to a race.

const ident = (s: string) => `\`${s.replaceAll('`', '``')}\``;

async function run(conn: Session, ch: RepairChange): Promise<void> {
  const key = ROW_KEY[ch.table];
  if (ch.op === 'delete') {
    const guard = ch.table === 'location' ? ' AND `id` = ? AND `expires` = ?' : '';
    const params = ch.table === 'location' ? [ch.key, ch.row.id, ch.row.expires] : [ch.key];
    const n = await conn.change(`DELETE FROM ${ident(ch.table)} WHERE ${ident(key)} = ?${guard}`, params);
    if (n !== 1)
      throw new AppError('conflict:state', `${ch.table} ${ch.key} changed since the preview: preview again.`);
    return;
  }
  const cols = Object.keys(ch.row);
  await conn.change(
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
  const pair = await openPair({
    survivor,
    target,
    setup: ['SET SESSION sql_log_bin = 0', 'START TRANSACTION'],
  });
  const conns = { survivor: pair.survivor, target: pair.target };
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
    await conns.target.rows('COMMIT');
    await conns.survivor.rows('COMMIT');
  } finally {
    for (const c of Object.values(conns)) await c.rows('ROLLBACK').catch(() => undefined);
    await pair.close();
  }
}
