import 'server-only';
import { getConnectionList } from '@/lib/db';
import { logError } from '@/lib/errors';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  /** The node that took the write being audited (null when none did). */
  node?: string | null;
  outcome: 'ok' | 'failed' | 'refused';
  detail?: string;
}

/**
 * Records a mutation, failed and refused ones included. The audit row itself goes through the
 * connection list like every other write; when no node can take it, the entry goes to the
 * server log so it is not lost silently.
 */
export async function audit(entry: AuditEntry): Promise<void> {
  const row = {
    actor: entry.actor.slice(0, 96),
    action: entry.action.slice(0, 64),
    target: (entry.target ?? '').slice(0, 255),
    node: entry.node ?? null,
    outcome: entry.outcome,
    detail: (entry.detail ?? '').slice(0, 1024),
  };
  try {
    const list = await getConnectionList();
    await list.write({ run: (db) => db.insertInto('sipha_audit').values(row).execute() });
  } catch (err) {
    logError(`audit write failed; entry follows ${JSON.stringify(row)}`, err);
  }
}

/** The audit sink a job or a repair writes its rows through, on behalf of `actor`. */
export const auditAs =
  (actor: string) =>
  (entry: Omit<AuditEntry, 'actor'>): Promise<void> =>
    audit({ ...entry, actor });
