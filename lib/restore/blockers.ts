import 'server-only';
import { type NodeCtx, onCtx } from './node-io';
import type { BlockerView } from './types';

// Step b: what would stall or defeat the read-lock on the survivor, shown before locking.
// - a long-running transaction: FLUSH TABLES WITH READ LOCK waits for it (and every writer then
//   queues behind the FTWRL), so the lock window would start late and grow;
// - sessions of accounts that bypass read_only (SUPER / READ ONLY ADMIN): they matter on the
//   fenced node, which is only protected by read_only, and on MySQL where read_only is part of
//   the lock. The console's own connections are left out.

const LONG_TRX_SECONDS = 2;

export async function findBlockers({
  survivor,
  target,
}: {
  survivor: NodeCtx;
  target: NodeCtx;
}): Promise<BlockerView[]> {
  const out: BlockerView[] = [];
  const trx = await onCtx<{ id: number; user: string; secs: number; info: string | null }>(survivor, {
    sql: `SELECT t.trx_mysql_thread_id AS id, COALESCE(p.USER, '') AS user,
                TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS secs, LEFT(COALESCE(p.INFO, t.trx_query, ''), 200) AS info
           FROM information_schema.INNODB_TRX t LEFT JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
          WHERE t.trx_started < NOW() - INTERVAL ? SECOND AND t.trx_mysql_thread_id <> CONNECTION_ID()
          ORDER BY t.trx_started LIMIT 20`,
    params: [LONG_TRX_SECONDS],
  });
  for (const r of trx)
    out.push({
      kind: 'long_transaction',
      id: Number(r.id),
      user: r.user,
      seconds: Number(r.secs),
      info: r.info ?? '',
    });
  for (const c of [survivor, target]) {
    const grantees = await onCtx<{ grantee: string }>(c, c.dialect.readOnlyBypassAccounts());
    const users = new Set(grantees.map((g) => /^'([^']*)'/.exec(g.grantee)?.[1] ?? '').filter(Boolean));
    users.delete(c.node.handle.config.user);
    if (users.size === 0) continue;
    const sessions = await onCtx<{ id: number; user: string; secs: number; info: string | null }>(c, {
      sql: `SELECT ID AS id, USER AS user, TIME AS secs, LEFT(COALESCE(INFO, ''), 200) AS info FROM information_schema.PROCESSLIST
            WHERE USER IN (${[...users].map(() => '?').join(', ')}) AND COMMAND <> 'Binlog Dump' ORDER BY TIME DESC LIMIT 20`,
      params: [...users],
    });
    for (const r of sessions)
      out.push({
        kind: 'bypass_session',
        id: Number(r.id),
        user: `${r.user} on ${c.name}`,
        seconds: Number(r.secs),
        info: r.info ?? '',
      });
  }
  return out;
}
