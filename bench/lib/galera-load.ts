// The mixed load for bench/galera.ts: 4 console writers at 5 writes/s each (20/s in all)
// through a connection list, and REGISTERs through one SIP server with sipp.
import { sql } from 'kysely';
import { adminQuery, type LabState, seedUsers } from '../../lab/index.ts';
import { runSipp } from '../../lab/sipp.ts';
import type { ConnectionList } from '../../lib/db/connection-list.ts';

export interface Acked {
  k: string;
  end: number;
  node: string;
}

export async function createBenchTable(dir: string): Promise<void> {
  await adminQuery(
    dir,
    'd1',
    'CREATE TABLE IF NOT EXISTS kamailio.bench_galera (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL, KEY (k))',
  );
}

export function consoleWriters(list: ConnectionList, tag: string, t0: number) {
  const acked: Acked[] = [];
  let failed = 0;
  let stop = false;
  // Each writes every 200 ms; started 50 ms apart, the four together write every 50 ms, so the
  // gap around a kill is the failover's, not up to 200 ms of the writers' own rhythm.
  const one = async (w: number) => {
    await new Promise((r) => setTimeout(r, w * 50));
    for (let i = 0; !stop && i < 10_000; i++) {
      const k = `${tag}-${w}-${i}`;
      const started = performance.now();
      try {
        const r = await list.write({
          atomic: true,
          run: (db) => sql`INSERT INTO bench_galera (k) VALUES (${k})`.execute(db).then(() => k),
          verify: async (db) => {
            const q = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM bench_galera WHERE k = ${k}`.execute(
              db,
            );
            return Number(q.rows[0]?.n) > 0 ? k : undefined;
          },
        });
        acked.push({ k, end: performance.now() - t0, node: r.node });
      } catch {
        failed++;
      }
      const wait = 200 - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  const done = Promise.all([0, 1, 2, 3].map(one));
  return {
    acked,
    failed: () => failed,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

export function registers(state: LabState, site: string, rate: number, seconds: number) {
  const sip = state.sip.find((s) => s.name === site)!;
  return runSipp({
    sip,
    users: seedUsers(100),
    domain: state.domain,
    transport: 'udp',
    rate,
    calls: Math.round(rate * seconds),
    expires: 3600,
    workDir: state.dir,
    timeoutSec: seconds + 30,
  });
}

/** Acked writes that the survivor does not have. */
export async function lostAcked(dir: string, node: string, acked: Acked[]): Promise<number> {
  const rows = await adminQuery<{ k: string }>(dir, node, 'SELECT k FROM kamailio.bench_galera');
  const have = new Set(rows.map((r) => r.k));
  return acked.filter((a) => !have.has(a.k)).length;
}
