// The chaos harness's load: 4 console writers at 20 writes/s each through the connection list
// (every acknowledged write recorded with the node that took it), and REGISTERs through p1.
import { sql } from 'kysely';
import type { ConnectionList } from '../../lib/db/connection-list.ts';

export interface Ack {
  k: string;
  node: string;
  /** When the write was started and acknowledged (performance.now()). */
  start: number;
  at: number;
  verified: boolean;
}

export interface Writers {
  acks: Ack[];
  failed: number;
  stop: () => Promise<void>;
}

export const WRITES_TABLE = 'chaos_writes';

export function startWriters(list: ConnectionList, prefix: string, count = 4, perSecond = 20): Writers {
  const w: Writers = { acks: [], failed: 0, stop: async () => undefined };
  let running = true;
  const loops = Array.from({ length: count }, async (_, i) => {
    for (let seq = 0; running && seq < 100_000; seq++) {
      const k = `${prefix}-${i}-${seq}`;
      const t0 = performance.now();
      try {
        const r = await list.write({
          run: (db) => sql`INSERT INTO chaos_writes (k) VALUES (${k})`.execute(db).then(() => k),
          verify: async (db) => {
            const q = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM chaos_writes WHERE k = ${k}`.execute(
              db,
            );
            return Number(q.rows[0]?.n) > 0 ? k : undefined;
          },
        });
        w.acks.push({ k, node: r.node, start: t0, at: performance.now(), verified: !!r.verified });
      } catch {
        w.failed++;
      }
      const wait = 1000 / perSecond - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  });
  w.stop = async () => {
    running = false;
    await Promise.all(loops);
  };
  return w;
}
