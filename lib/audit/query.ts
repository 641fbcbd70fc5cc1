import 'server-only';
import { getConnectionList } from '@/lib/db';

export interface AuditFilter {
  actor?: string;
  action?: string;
  outcome?: 'ok' | 'failed' | 'refused';
  /** Keyset cursor: rows with id below this one. */
  before?: number;
  limit?: number;
}

export async function listAudit(filter: AuditFilter) {
  const list = await getConnectionList();
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const { value, node } = await list.read((db) => {
    let q = db
      .selectFrom('sipha_audit')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (filter.actor) q = q.where('actor', 'like', `${filter.actor.replace(/[\\%_]/g, '\\$&')}%`);
    if (filter.action) q = q.where('action', 'like', `${filter.action.replace(/[\\%_]/g, '\\$&')}%`);
    if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
    if (filter.before) q = q.where('id', '<', filter.before);
    return q.execute();
  });
  const rows = value.slice(0, limit);
  const next = value.length > limit ? Number(rows[rows.length - 1]?.id) : null;
  return { rows, next, node };
}
