import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { DB } from '@/lib/db/schema';
import type { RegistrationCount } from '@/lib/health/types';

// Registrations per SIP server. A full index scan (connection_idx) at a million rows, so it runs
// in the background history sampler every few seconds, never per request.

export async function countByServer({
  db,
  names,
}: {
  db: Kysely<DB>;
  names: Map<number, string>;
}): Promise<RegistrationCount[]> {
  const r = await sql<{ server_id: number; total: number | string; expired: number | string | null }>`
    SELECT server_id, COUNT(*) AS total, SUM(expires <= NOW()) AS expired
    FROM location GROUP BY server_id ORDER BY server_id`.execute(db);
  const counts = r.rows.map((row) => {
    const total = Number(row.total);
    const expired = Number(row.expired ?? 0);
    return {
      serverId: Number(row.server_id),
      server: names.get(Number(row.server_id)) ?? null,
      total,
      expired,
      active: total - expired,
    };
  });
  // Configured servers with no rows still get a line (0), so the chart shows them.
  for (const [serverId, server] of names)
    if (!counts.some((c) => c.serverId === serverId))
      counts.push({ serverId, server, total: 0, active: 0, expired: 0 });
  return counts.sort((a, b) => a.serverId - b.serverId);
}
