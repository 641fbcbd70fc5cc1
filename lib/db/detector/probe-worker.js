// The prober, run in a worker thread (see ./prober.ts) so that the console's own work (a CSV
// import, a long render) cannot delay a probe or its timer. A file of its own, loaded by a URL
// resolved from ./prober.ts (Next bundles it as a worker entry; tsx and vitest load it as is),
// plain JavaScript so that Node runs it without a TypeScript loader. It imports only Node and
// mysql2 (resolved from this file, not from the working directory); the driver options come
// from ../driver.ts and the unreachable-node error codes from ../classify.ts, through workerData.
//
// Every `intervalMs` (every `fastMs` while some node is silent) each node gets a probe on a
// fresh connection: the node's identity, read_only, and its replication channels (IO thread
// and heartbeat/event counters from each source: the peers' view of the other nodes). Probes
// of a node that does not answer overlap, at most 4 at a time. A 20 ms ticker measures the
// worker's own scheduling delay (time it did not run: a probe sent late had less time to be
// answered); every snapshot says how much of a silence that delay explains. Snapshots are
// taken after the poll phase, so an answer that arrived during a stall is never missed.
// The SIP servers' view, when any are configured: each one's db_cluster list over JSON-RPC
// (dbcl.list_connections), on the same rhythm, bounded by the probe timeout, one call at a time
// per server; the raw rows go to the main thread, which reads them (lib/sip/dbcl.ts).
// Times are absolute milliseconds (timeOrigin + now), comparable with the main thread's.

import { parentPort, workerData } from 'node:worker_threads';
import mysql from 'mysql2';

const { nodes, sipServers, intervalMs, fastMs, timeoutMs, driverOptions, hardCodes } = workerData;
const now = () => performance.timeOrigin + performance.now();

const TICK = 20;
let lastTick = now();
const delays = [];
setInterval(() => {
  const t = now();
  const late = t - lastTick - TICK;
  lastTick = t;
  // A late timer on a busy machine (tens of ms) holds a probe back by that much at most; only a
  // real stall (the thread not running for 50 ms and more) can hide a whole answer.
  if (late > 50) delays.push([t, late]);
  while (delays.length && delays[0][0] < t - 30000) delays.shift();
}, TICK);
function stallSince(from) {
  let sum = Math.max(0, now() - lastTick - TICK);
  for (const [t, late] of delays) if (t > from) sum += Math.min(late, t - from);
  return Math.round(sum);
}

const HARD = new Set(hardCodes);
const state = new Map(
  nodes.map((n) => [
    n.name,
    {
      lastStart: 0,
      answeredStart: 0,
      lastOkAt: null,
      ok: null,
      hardFail: null,
      unanswered: [],
      pending: 0,
      channels: new Map(),
    },
  ]),
);

function channelsOf(rows) {
  if (!rows) return null;
  return rows.map((r) => {
    const c = {
      host: r.Master_Host ?? r.Source_Host ?? '',
      port: Number(r.Master_Port ?? r.Source_Port ?? 0),
      serverId: Number(r.Master_Server_Id ?? r.Source_Server_Id ?? 0),
      io: r.Slave_IO_Running ?? r.Replica_IO_Running ?? 'No',
      periodMs: Math.round(Number(r.Slave_heartbeat_period ?? 0) * 1000) || null,
      sig: [
        r.Master_Log_File ?? r.Source_Log_File,
        r.Read_Master_Log_Pos ?? r.Read_Source_Log_Pos,
        r.Slave_received_heartbeats,
        r.Gtid_IO_Pos,
      ].join('|'),
    };
    return c;
  });
}

function probe(node) {
  const s = state.get(node.name);
  if (s.pending >= 4) return;
  const start = now();
  s.lastStart = start;
  s.pending++;
  s.unanswered.push(start);
  if (s.unanswered.length > 200) s.unanswered.splice(1, 1);
  let done = false;
  const conn = mysql.createConnection({
    ...driverOptions,
    host: node.host,
    port: node.port,
    user: node.user,
    password: node.password,
    database: node.database,
    connectTimeout: timeoutMs,
  });
  const finish = (err, row, rows) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    s.pending--;
    if (row) conn.end(() => undefined);
    else conn.destroy();
    const t = now();
    const hard =
      err &&
      err !== 'timeout' &&
      (HARD.has(err.code) || (typeof err.errno === 'number' && err.errno > 0 && err.code !== 'ETIMEDOUT'));
    if (err && !hard) return post();
    s.unanswered = s.unanswered.filter((x) => x > start);
    if (start < s.answeredStart) return post();
    s.answeredStart = start;
    if (err) {
      s.hardFail = { at: t, start, code: err.code ?? null, errno: err.errno ?? null };
      return post();
    }
    s.hardFail = null;
    s.lastOkAt = t;
    s.ok = {
      version: row.version,
      readOnly: Number(row.ro) === 1,
      serverId: Number(row.sid),
      latencyMs: Math.round((t - start) * 10) / 10,
    };
    const fresh = channelsOf(rows);
    const prev = s.channels;
    s.channels = new Map();
    for (const c of fresh ?? []) {
      const key = `${c.host}:${c.port}#${c.serverId}`;
      const old = prev.get(key);
      c.changedAt = old && old.sig === c.sig ? old.changedAt : old ? t : null;
      c.firstSeen = old ? old.firstSeen : t;
      c.sampledAt = t;
      s.channels.set(key, c);
    }
    s.noChannels = fresh === null;
    post();
  };
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
  conn.on('error', (e) => finish(e));
  conn.query(
    {
      sql: 'SELECT VERSION() AS version, @@global.read_only AS ro, @@global.server_id AS sid',
      timeout: timeoutMs,
    },
    (err, rows) => {
      if (err) return finish(err);
      conn.query({ sql: 'SHOW ALL SLAVES STATUS', timeout: timeoutMs }, (e2, r2) => {
        if (!e2) return finish(null, rows[0], r2);
        conn.query({ sql: 'SHOW SLAVE STATUS', timeout: timeoutMs }, (e3, r3) =>
          finish(null, rows[0], e3 ? null : r3),
        );
      });
    },
  );
}

// One SIP server's last db_cluster list: when the answered call was sent and what it said.
const sip = new Map(
  sipServers.map((v) => [
    v.name,
    { pending: false, lastStart: 0, sentAt: null, at: null, rows: null, error: null },
  ]),
);

function askSip(server) {
  const s = sip.get(server.name);
  if (s.pending) return;
  s.pending = true;
  const start = now();
  s.lastStart = start;
  const body = JSON.stringify({
    jsonrpc: '2.0',
    method: 'dbcl.list_connections',
    params: [server.cluster],
    id: 1,
  });
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  })
    .then((res) => res.json())
    .then((j) => {
      if (j && 'result' in j) {
        Object.assign(s, { sentAt: start, at: now(), rows: j.result, error: null });
      } else {
        Object.assign(s, { sentAt: start, at: now(), rows: null, error: 'rpc error' });
      }
    })
    .catch((e) => {
      Object.assign(s, {
        sentAt: start,
        at: now(),
        rows: null,
        error: e && e.name === 'TimeoutError' ? 'timeout' : 'no answer',
      });
    })
    .finally(() => {
      s.pending = false;
      post();
    });
}

function snapshot() {
  const t = now();
  return {
    t,
    sip: sipServers.map((v) => {
      const s = sip.get(v.name);
      return { name: v.name, order: v.order, sentAt: s.sentAt, at: s.at, rows: s.rows, error: s.error };
    }),
    nodes: nodes.map((n) => {
      const s = state.get(n.name);
      const silentSince = s.unanswered.length ? s.unanswered[0] : null;
      return {
        name: n.name,
        lastOkAt: s.lastOkAt,
        ok: s.ok,
        hardFail: s.hardFail,
        silentSince,
        silentProbes: s.unanswered.length,
        stallMs: silentSince === null ? 0 : stallSince(silentSince),
        channels: s.noChannels ? null : [...s.channels.values()],
      };
    }),
  };
}
let posting = false;
function post() {
  if (posting) return;
  posting = true;
  // In the check phase, after the poll phase: an answer that arrived while this thread was not
  // running has been read before the snapshot says "no answer".
  setImmediate(() => {
    posting = false;
    parentPort.postMessage({ type: 'snapshot', snap: snapshot() });
  });
}

setInterval(() => {
  const t = now();
  const anySilent = nodes.some((n) => {
    const u = state.get(n.name).unanswered;
    return u.length && t - u[0] > fastMs;
  });
  for (const n of nodes)
    if (t - state.get(n.name).lastStart >= (anySilent ? fastMs : intervalMs) - 5) probe(n);
  const sipEvery = anySilent ? fastMs : Math.max(intervalMs, 500);
  for (const v of sipServers) if (t - sip.get(v.name).lastStart >= sipEvery - 5) askSip(v);
  post();
}, fastMs);
for (const n of nodes) probe(n);
for (const v of sipServers) askSip(v);
parentPort.on('message', (m) => {
  const n = nodes.find((x) => x.name === m.probe);
  if (n) probe(n);
});
