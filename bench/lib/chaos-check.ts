// The chaos harness's checks on the history of a round, on the servers themselves (root over
// each node's unix socket, which no partition cuts).
import { adminQuery } from '../../lab/index.ts';
import type { Ack } from './chaos-load.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until every node has applied every other node's binlog. */
export async function converge(dir: string, names: string[], maxMs = 30_000): Promise<boolean> {
  const end = Date.now() + maxMs;
  for (const a of names)
    for (const b of names) {
      if (a === b) continue;
      const [p] = await adminQuery<{ p: string }>(dir, a, 'SELECT @@gtid_binlog_pos AS p');
      for (;;) {
        const left = Math.max(1, Math.round((end - Date.now()) / 1000));
        const [r] = await adminQuery<{ r: number | null }>(dir, b, 'SELECT MASTER_GTID_WAIT(?, ?) AS r', [
          p?.p ?? '',
          Math.min(left, 5),
        ]);
        if (r?.r === 0) break;
        if (Date.now() > end) return false;
        await sleep(200);
      }
    }
  return true;
}

/** Acknowledged writes missing from a node, and those present more than once. */
export async function checkAcks(
  dir: string,
  names: string[],
  acks: Ack[],
): Promise<{ lost: number; duplicated: number }> {
  let lost = 0;
  let duplicated = 0;
  if (!acks.length) return { lost, duplicated };
  for (const n of names) {
    const rows = await adminQuery<{ k: string; c: number }>(
      dir,
      n,
      'SELECT k, COUNT(*) AS c FROM kamailio.chaos_writes GROUP BY k',
    );
    const count = new Map(rows.map((r) => [r.k, Number(r.c)]));
    for (const a of acks) {
      const c = count.get(a.k) ?? 0;
      if (c === 0) lost++;
      if (c > 1) duplicated++;
    }
  }
  return { lost, duplicated };
}

/** The tables that differ between the nodes (empty when they hold the same data). */
export async function differing(dir: string, names: string[]): Promise<string[]> {
  const sums = await Promise.all(
    names.map(async (n) => {
      const rows = await adminQuery<{ Table: string; Checksum: number }>(
        dir,
        n,
        'CHECKSUM TABLE kamailio.chaos_writes, kamailio.subscriber, kamailio.location',
      );
      return new Map(rows.map((r) => [r.Table, r.Checksum]));
    }),
  );
  return [...sums[0]!.keys()].filter((t) => sums.some((s) => s.get(t) !== sums[0]!.get(t)));
}

/** Users answered 200 at least once (sipp's count) that have no location row on `node`. */
export async function missingRegistrations(dir: string, node: string, users: string[]): Promise<number> {
  const rows = await adminQuery<{ username: string }>(
    dir,
    node,
    'SELECT DISTINCT username FROM kamailio.location',
  );
  const have = new Set(rows.map((r) => r.username));
  return users.filter((u) => !have.has(u)).length;
}
