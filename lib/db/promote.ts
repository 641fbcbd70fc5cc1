import 'server-only';
import { sql } from 'kysely';
import type { NodeHandle } from './node';

// Small server-side steps the connection list takes on a node at failover and fencing time.
// MariaDB statements; the dialect module (lib/dialect/) holds the MySQL forms.

/**
 * Before the first write on a node we fail over to, let it apply what its relay log already
 * holds from the lost node: otherwise a write we verify or repeat there could collide with the
 * same row arriving a moment later through replication.
 */
export async function drainRelayLog(node: NodeHandle, maxSeconds: number): Promise<void> {
  const rows = await sql<{ Gtid_IO_Pos?: string }>`SHOW ALL SLAVES STATUS`.execute(node.db);
  for (const r of rows.rows) {
    const pos = r.Gtid_IO_Pos?.trim();
    if (pos) await sql`SELECT MASTER_GTID_WAIT(${pos}, ${maxSeconds}) AS r`.execute(node.db);
  }
}

/** read_only=ON keeps SIP servers (no SUPER / READ ONLY ADMIN) from writing a fenced node. */
export async function setReadOnly(node: NodeHandle, on: boolean): Promise<void> {
  await sql.raw(`SET GLOBAL read_only = ${on ? 'ON' : 'OFF'}`).execute(node.db);
}

/**
 * The survivor of a failover stops waiting for semi-synchronous acknowledgements from the lost
 * peer (a hung peer would hold every commit for rpl_semi_sync_master_timeout first). Restore
 * turns it back on. Returns whether it was on.
 */
export async function stopSemiSyncWait(node: NodeHandle): Promise<boolean> {
  const r = await sql<{ v: number | null }>`SELECT @@global.rpl_semi_sync_master_enabled AS v`
    .execute(node.db)
    .catch(() => null);
  if (!r || Number(r.rows[0]?.v) !== 1) return false;
  await sql.raw('SET GLOBAL rpl_semi_sync_master_enabled = OFF').execute(node.db);
  return true;
}

/**
 * The audit row of a failover, written on the node that takes the writes: which node was left
 * and the evidence, in words. Written here (not by lib/audit) because the connection list acts
 * on its own, below the layer that audits operators' actions.
 */
export async function auditFailover(
  node: NodeHandle,
  e: { actor: string; from: string; evidence: string },
): Promise<void> {
  await node.db
    .insertInto('sipha_audit')
    .values({
      actor: e.actor.slice(0, 96),
      action: 'failover',
      target: e.from,
      node: node.name,
      outcome: 'ok',
      detail: `${e.from} is down: ${e.evidence}; writes go to ${node.name}`.slice(0, 1024),
    })
    .execute();
}
