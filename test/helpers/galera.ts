import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { parseConfig } from '@/lib/config/load';
import type { SiphaConfig } from '@/lib/config/schema';
import { closeConnectionList } from '@/lib/db';
import { ConnectionList } from '@/lib/db/connection-list';
import { adminQuery, type UpOptions } from '../../lab/index.ts';
import { useLab } from './lab';
import { until } from './poll';

/**
 * A three-node Galera lab for a test file, the console's configuration pointed at it, and
 * `open` for more connection lists in any node order; every list is closed after the file.
 */
export function useGaleraLab(opts: Omit<UpOptions, 'dir' | 'engine'> = {}) {
  const lab = useLab({ engine: 'galera', nodes: 3, ...opts });
  const lists: ConnectionList[] = [];
  beforeAll(() => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
  });
  afterAll(async () => {
    await Promise.all(lists.map((l) => l.close()));
    await closeConnectionList();
  });
  const open = async (o: Parameters<typeof openGaleraList>[1] = {}) => {
    const l = await openGaleraList(lab().state.configPath, o);
    lists.push(l);
    return l;
  };
  return { lab, open };
}

/** A console's connection list for a Galera lab, in the node order given (default d1, d2, d3). */
export async function openGaleraList(
  configPath: string,
  opts: { order?: string[]; galera?: Partial<NonNullable<SiphaConfig['galera']>> } = {},
): Promise<ConnectionList> {
  const cfg = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')));
  const nodes = opts.order ? opts.order.map((n) => cfg.nodes.find((x) => x.name === n)!) : cfg.nodes;
  const list = new ConnectionList(
    {
      nodes,
      connection: { ...cfg.connection, queryTimeoutMs: 8000 },
      galera: { ...cfg.galera!, ...opts.galera },
    },
    'test',
  );
  await list.ready();
  return list;
}

export async function wsrep(dir: string, node: string): Promise<Record<string, string>> {
  const rows = await adminQuery<{ Variable_name: string; Value: string }>(
    dir,
    node,
    "SHOW GLOBAL STATUS LIKE 'wsrep\\_%'",
  );
  return Object.fromEntries(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
}

/**
 * `until` with the Galera tests' patience: a view change or a state transfer takes seconds to
 * tens of seconds; polled every 200 ms, since each poll here is often a new session.
 */
export function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  return until(what, check, ms, 200);
}

export const TABLE = 'sipha_galera_test';

export async function createTable(dir: string): Promise<void> {
  await adminQuery(
    dir,
    'd1',
    `CREATE TABLE IF NOT EXISTS kamailio.${TABLE} (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL, v INT NOT NULL DEFAULT 0, KEY (k))`,
  );
}

/** How many rows of each key `node` holds: every acknowledged write is there exactly once. */
export async function keyCounts(dir: string, node: string): Promise<Map<string, number>> {
  const rows = await adminQuery<{ k: string; n: number }>(
    dir,
    node,
    `SELECT k, COUNT(*) AS n FROM kamailio.${TABLE} GROUP BY k`,
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

/** One console write of key k, verified like the users' writes when a connection breaks. */
export function writeKey(list: ConnectionList, k: string) {
  return list.write({
    atomic: true,
    run: async (db) => {
      await sql`INSERT INTO ${sql.table(TABLE)} (k) VALUES (${k})`.execute(db);
      return k;
    },
    verify: async (db) => {
      const r = await sql<{
        n: number;
      }>`SELECT COUNT(*) AS n FROM ${sql.table(TABLE)} WHERE k = ${k}`.execute(db);
      return Number(r.rows[0]?.n) > 0 ? k : undefined;
    },
  });
}
