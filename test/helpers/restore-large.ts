import { adminQuery } from '../../lab/index.ts';

// Large Kamailio-shaped tables for the restore at scale (tests and bench/restore_1m.ts), written
// on one node by the server itself (MariaDB's SEQUENCE engine: INSERT … SELECT FROM
// seq_1_to_N), in batches so that each replicated transaction stays a few MB. The rows
// replicate to the peer like any other writes; every registration expires hours from now, so
// Kamailio's timer deletes none of them during a run.

const BATCH = 50_000;

export async function fillLarge({
  dir,
  node = 'd1',
  locations,
  subscribers,
}: {
  dir: string;
  node?: string;
  locations: number;
  subscribers: number;
}): Promise<void> {
  for (let from = 1; from <= subscribers; from += BATCH) {
    const to = Math.min(subscribers, from + BATCH - 1);
    await adminQuery(
      dir,
      node,
      `INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b)
       SELECT CONCAT('bulk', LPAD(seq, 7, '0')), 'lab.sipha.test', '',
              MD5(CONCAT('bulk', seq, ':lab.sipha.test:pw')), MD5(CONCAT('bulk', seq, '@lab.sipha.test:lab.sipha.test:pw'))
       FROM mysql.seq_${from}_to_${to}`,
    );
  }
  for (let from = 1; from <= locations; from += BATCH) {
    const to = Math.min(locations, from + BATCH - 1);
    await adminQuery(
      dir,
      node,
      `INSERT INTO kamailio.location (ruid, username, domain, contact, received, expires, q, callid, cseq,
         last_modified, user_agent, socket, methods, server_id)
       SELECT CONCAT('bulk-', seq), CONCAT('bulk', LPAD(1 + seq % ${Math.max(1, subscribers)}, 7, '0')), 'lab.sipha.test',
              CONCAT('sip:bulk', seq, '@10.', (seq >> 16) & 255, '.', (seq >> 8) & 255, '.', seq & 255, ':5060'),
              IF(seq % 5 = 0, CONCAT('sip:10.9.', (seq >> 8) & 255, '.', seq & 255, ':40000'), NULL),
              UTC_TIMESTAMP() + INTERVAL (7200 + seq % 3000) SECOND, -1, CONCAT(seq, '-callid@lab'), 1 + seq % 100,
              UTC_TIMESTAMP(), 'Yealink SIP-T46S 66.86.0.15', 'udp:127.0.0.1:5060', 8191, 1 + seq % 2
       FROM mysql.seq_${from}_to_${to}`,
    );
  }
}

/** Waits until `to` has applied everything `from` has logged. */
export async function settled(dir: string, from: string, to: string, seconds = 120): Promise<void> {
  const [p] = await adminQuery<{ b: string }>(dir, from, 'SELECT @@gtid_binlog_pos AS b');
  const [r] = await adminQuery<{ r: number }>(dir, to, 'SELECT MASTER_GTID_WAIT(?, ?) AS r', [p?.b, seconds]);
  if (Number(r?.r) !== 0) throw new Error(`${to} did not apply ${from}'s ${p?.b} within ${seconds} s`);
}
