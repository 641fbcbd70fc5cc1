import 'server-only';
import { sql } from 'kysely';
import type { NodeHandle } from './node';

// Small server-side steps the connection list takes on a node at failover and fencing time.
// MariaDB statements; the dialect module (lib/replication/dialect.ts) holds the MySQL forms.

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
