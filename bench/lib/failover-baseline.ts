// The baseline of the failover benchmark: what the paper's web scripts do, with mysql2's
// defaults (10 s connect timeout, no statement timeout): try D1, and on any error try D2.
import { createPool } from 'mysql2/promise';
import type { LabState } from '../../lab/index.ts';

export interface Attempt {
  k: string;
  start: number;
  end: number | null;
  node: string | null;
}

export interface Writer {
  write: (k: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function baselineWriter(state: LabState): Promise<Writer> {
  const { user, password } = state.db.sipha;
  const pools = state.nodes.map((n) =>
    createPool({ host: n.host, port: n.port, user, password, database: 'kamailio' }),
  );
  return {
    async write(k) {
      for (const [i, pool] of pools.entries()) {
        try {
          await pool.query('INSERT INTO bench_failover (k) VALUES (?)', [k]);
          return `d${i + 1}`;
        } catch (err) {
          if (i === pools.length - 1) throw err;
        }
      }
      throw new Error('unreachable');
    },
    async close() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    },
  };
}
