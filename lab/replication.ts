import { query } from './mariadb.ts';
import { waitUntil } from './process.ts';
import type { LabNode, LabState } from './state.ts';

/**
 * Accounts are created with sql_log_bin=0 on every node: each node gets the same accounts
 * without replicating them, so GTID positions stay empty and replication can start cleanly.
 */
export async function createUsers(node: LabNode, db: LabState['db'], h = '127.0.0.1'): Promise<void> {
  await query(
    node.socket,
    `SET sql_log_bin=0;
     CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?;
     GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION;
     CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?;
     GRANT SELECT, INSERT, UPDATE, DELETE ON kamailio.* TO ?@?;
     CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?;
     GRANT REPLICATION SLAVE ON *.* TO ?@?;
     SET sql_log_bin=1;`,
    [
      db.sipha.user,
      h,
      db.sipha.password,
      db.sipha.user,
      h,
      db.kamailio.user,
      h,
      db.kamailio.password,
      db.kamailio.user,
      h,
      db.repl.user,
      h,
      db.repl.password,
      db.repl.user,
      h,
    ],
  );
}

/** Two nodes replicate from each other; three or more form a ring (i from i-1, 1 from N). */
export function masterOf(i: number, count: number): number {
  if (count === 2) return i === 1 ? 2 : 1;
  return i === 1 ? count : i - 1;
}

export async function setupReplication(nodes: LabNode[], repl: LabState['db']['repl']): Promise<void> {
  if (nodes.length < 2) return;
  for (const [idx, node] of nodes.entries()) {
    const master = nodes[masterOf(idx + 1, nodes.length) - 1]!;
    await query(
      node.socket,
      // A heartbeat every 0.1 s: the console's failure detector asks each replica how long it
      // has heard nothing from its source (lib/db/detector).
      `CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER=?, MASTER_PASSWORD=?,
         MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=0.1; START SLAVE;`,
      [master.host, master.port, repl.user, repl.password],
    );
  }
  for (const node of nodes) {
    await waitUntil(
      `replication threads on ${node.name}`,
      async () => {
        const [s] = await query<Record<string, string>>(node.socket, 'SHOW SLAVE STATUS');
        return s?.Slave_IO_Running === 'Yes' && s?.Slave_SQL_Running === 'Yes';
      },
      30_000,
    );
  }
}

/** Waits until every node has applied the first node's binlog position (schema and seed). */
export async function waitReplicated(nodes: LabNode[], timeoutMs = 60_000): Promise<void> {
  const first = nodes[0]!;
  const [row] = await query<{ pos: string }>(first.socket, 'SELECT @@gtid_binlog_pos AS pos');
  const pos = row?.pos ?? '';
  for (const node of nodes.slice(1)) {
    await waitUntil(
      `${node.name} to reach ${pos}`,
      async () => {
        const [r] = await query<{ r: number | null }>(node.socket, 'SELECT MASTER_GTID_WAIT(?, 1) AS r', [
          pos,
        ]);
        return r?.r === 0;
      },
      timeoutMs,
    );
  }
}
