// npm run bench -- registrations
// 1,000,000 Kamailio-shaped `location` rows in a one-node bench lab. sipha's keyset pages
// (lib/registrations/queries.ts, what GET /api/registrations calls) against LIMIT/OFFSET paging
// as siremis and opensips-cp do, alternating in the same run. server_ms is the lib function's
// time as the route handler sees it (the list read included, HTTP and auth excluded).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { adminQuery, down, up } from '../lab/index.ts';
import { withQueryTimeout } from '../lib/db/send-guard.ts';
import { encodeCursor } from '../lib/registrations/cursor.ts';
import { listRegistrations } from '../lib/registrations/queries.ts';
import { openList } from '../test/helpers/console-list.ts';
import { report, row } from './lib/report.ts';

export const description =
  'registrations page over 1,000,000 location rows: keyset vs LIMIT/OFFSET (server_ms)';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 5);
const BATCH = 5000;
const USERS = Math.round(ROWS / 2.5);
const AGENTS = [
  'Yealink SIP-T46S 66.86.0.15',
  'Polycom/5.9.7 VVX-450',
  'Linphone/5.2.0 (belle-sip/5.2.0)',
  'Zoiper rv2.10.19',
  'Grandstream GXP2170 1.0.11.23',
  'Cisco-CP8841/14.2.1',
  'MicroSIP/3.21.3',
  'Obihai/OBi200-3.2.2',
];

function locationRows(from: number, n: number): unknown[][] {
  const out: unknown[][] = [];
  const now = Date.now();
  for (let i = from; i < from + n; i++) {
    // Users arrive in no particular order, each with one to four contacts.
    const u = (i * 7919) % USERS;
    const user = `user${String(u).padStart(7, '0')}`;
    const domain = u % 10 === 0 ? 'branch.sipha.test' : 'lab.sipha.test';
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const serverId = 1 + (i % 4);
    // About one in seven already expired but not purged yet.
    const expires = new Date(now + ((i % 7 === 0 ? -300 : 600) + (i % 3000)) * 1000);
    out.push([
      `uloc-${i.toString(36)}-${u.toString(36)}`,
      user,
      domain,
      `sip:${user}@${ip}:5060;transport=udp`,
      i % 5 === 0 ? `sip:${ip}:${40000 + (i % 20000)}` : null,
      null,
      expires,
      -1,
      `${i}-callid@${ip}`,
      1 + (i % 100),
      new Date(now),
      0,
      0,
      AGENTS[i % AGENTS.length],
      `udp:192.0.2.${serverId}:5060`,
      8191,
      null,
      0,
      serverId,
      -1,
      0,
      0,
    ]);
  }
  return out;
}

const COLS =
  'ruid, username, domain, contact, received, path, expires, q, callid, cseq, last_modified, flags, cflags, user_agent, socket, methods, instance, reg_id, server_id, connection_id, keepalive, `partition`';

export async function load(dir: string): Promise<void> {
  const t0 = performance.now();
  await adminQuery(dir, 'd1', 'ALTER TABLE kamailio.location DISABLE KEYS');
  for (let from = 0; from < ROWS; from += BATCH) {
    await adminQuery(dir, 'd1', `SET unique_checks = 0; INSERT INTO kamailio.location (${COLS}) VALUES ?`, [
      locationRows(from, Math.min(BATCH, ROWS - from)),
    ]);
    if (from % 100_000 === 0) process.stdout.write(`\r  loaded ${from.toLocaleString('en')} rows`);
  }
  await adminQuery(dir, 'd1', 'ANALYZE TABLE kamailio.location');
  console.log(
    `\r  loaded ${ROWS.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'breg-'));
  const stop = async () => {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const state = await up({
      dir,
      nodes: 1,
      sip: false,
      extraNodeArgs: { d1: ['--innodb-buffer-pool-size=512M', '--innodb-flush-log-at-trx-commit=0'] },
    });
    await load(dir);
    const list = await openList(state.configPath);
    const db = list.nodes[0]!.handle.db;
    const at90 = Math.floor(ROWS * 0.9);
    const [c] = await adminQuery(
      dir,
      'd1',
      `SELECT username, domain, contact, id FROM kamailio.location ORDER BY username, domain, contact, id LIMIT 1 OFFSET ${at90 - 1}`,
    );
    const cursor = encodeCursor({
      username: c.username,
      domain: c.domain,
      contact: c.contact,
      id: Number(c.id),
    });
    const prefix = `user${String(Math.floor(USERS * 0.37))
      .padStart(7, '0')
      .slice(0, 6)}`;
    // The baseline may take seconds at depth: give it room rather than the console's 3 s bound.
    const offsetPage = (offset: number, where = sql``) =>
      withQueryTimeout(120_000, () =>
        sql`SELECT id, ruid, username, domain, contact, received, path, q, user_agent, socket, server_id, last_modified, TIMESTAMPDIFF(SECOND, NOW(), expires) AS expires_in
          FROM location ${where} ORDER BY username, domain, contact, id LIMIT 50 OFFSET ${offset}`.execute(
          db,
        ),
      );
    const cases = [
      { name: 'first_page', sipha: () => listRegistrations({ list }), baseline: () => offsetPage(0) },
      {
        name: 'page_at_90pct',
        sipha: () => listRegistrations({ list, after: cursor }),
        baseline: () => offsetPage(at90),
      },
      {
        name: 'prefix_search',
        sipha: () => listRegistrations({ list, q: prefix }),
        baseline: () => offsetPage(0, sql`WHERE username LIKE ${`${prefix}%`}`),
      },
    ];
    // The plan the keyset page gets, for the record.
    const plan = await adminQuery(
      dir,
      'd1',
      `EXPLAIN SELECT id FROM kamailio.location WHERE username > ? OR (username = ? AND (domain > ? OR (domain = ? AND (contact > ? OR (contact = ? AND id > ?))))) ORDER BY username, domain, contact, id LIMIT 51`,
      [c.username, c.username, c.domain, c.domain, c.contact, c.contact, Number(c.id)],
    );
    console.log(
      `  keyset plan: key=${plan[0].key} type=${plan[0].type} rows=${plan[0].rows} extra=${plan[0].Extra}`,
    );
    const base = await adminQuery(
      dir,
      'd1',
      `EXPLAIN SELECT * FROM kamailio.location ORDER BY username, domain, contact, id LIMIT 50 OFFSET ${at90}`,
    );
    console.log(
      `  offset plan: key=${base[0].key} type=${base[0].type} rows=${base[0].rows} extra=${base[0].Extra}`,
    );
    const sanity = await listRegistrations({ list, after: cursor });
    if (sanity.rows.length !== 50) throw new Error('the page at 90 % is not a full page');
    const rows = [];
    for (const k of cases) {
      await k.sipha();
      await k.baseline(); // warm both
      const s: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        s.push(await time(k.sipha));
        b.push(await time(k.baseline));
      }
      rows.push(
        row({
          case: k.name,
          metric: 'server_ms',
          unit: 'ms',
          sipha: s,
          baseline: b,
          baselineName: 'LIMIT/OFFSET paging (siremis, opensips-cp)',
          target: k.name === 'page_at_90pct' ? '<= 50 and >= 20x faster than baseline' : '<= 50',
        }),
      );
    }
    await list.close();
    report('registrations', rows);
  } finally {
    await stop();
  }
}
