// npm run bench -- import
// 100,000 users from CSV through a real console (`next start`, the production build; run
// built first when the sources changed): streamed POST to /api/v1/users/import, timed until every row is on
// every node, with the console's peak RSS (VmHWM, a fresh console per run). Baseline in the
// same run, alternating: LOAD DATA LOCAL INFILE of the same rows with precomputed hashes into
// d1, timed until replicated to d2.
import {
  cpSync,
  createReadStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import { startConsole, stopConsole } from '../e2e/support/console.ts';
import { ensureBuild } from '../lab/build.ts';
import { adminQuery, down, freePort, type LabState, up } from '../lab/index.ts';
import { REPO_ROOT } from '../lab/up.ts';
import { digestHashes } from '../lib/users/hash.ts';
import { report, row } from './lib/report.ts';

export const description =
  'CSV import of 100k users until on every node, console peak RSS (sipha vs LOAD DATA LOCAL INFILE)';

const ROWS = Number(process.env.ROWS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);

const kb = (line: string | undefined) => Number(line?.match(/(\d+)\s*kB/)?.[1] ?? 0);

/** The console's processes (next start forks): the one with the largest peak RSS is the server. */
function consolePeakMb(pgid: number): number {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5 of stat: process group
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, kb(status.split('\n').find((l) => l.startsWith('VmHWM:'))));
    } catch {
      // the process went away between listing and reading
    }
  }
  return peak / 1024;
}

async function waitCount(dir: string, prefix: string, nodes: string[]): Promise<void> {
  for (;;) {
    const counts = await Promise.all(
      nodes.map((n) =>
        adminQuery(dir, n, 'SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE ?', [
          `${prefix}%`,
        ]).then((r) => Number(r[0].n)),
      ),
    );
    if (counts.every((c) => c >= ROWS)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function reset(dir: string): Promise<void> {
  await adminQuery(dir, 'd1', 'TRUNCATE TABLE kamailio.subscriber');
  for (;;) {
    const r = await adminQuery(dir, 'd2', 'SELECT COUNT(*) AS n FROM kamailio.subscriber');
    if (Number(r[0].n) === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function siphaRun(state: LabState, work: string, rep: number) {
  const prefix = `s${rep}u`;
  const csv = join(work, `${prefix}.csv`);
  writeFileSync(
    csv,
    `username,password\n${Array.from({ length: ROWS }, (_, i) => `${prefix}${i},pw-${i}-secret`).join('\n')}\n`,
  );
  const port = await freePort();
  const logFile = join(work, 'console.log');
  const child = await startConsole({ configPath: state.configPath, port, logFile }).catch((err) => {
    console.error(readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n'));
    throw err;
  });
  try {
    const { createToken } = await import('../lib/auth/tokens.ts');
    const { token } = await createToken({
      name: `bench-${rep}-${Date.now()}`,
      role: 'operator',
      createdBy: 'bench',
    });
    // A console in service has its connection pools open: warm them before the clock starts.
    const warm = await fetch(`http://127.0.0.1:${port}/api/v1/nodes`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!warm.ok) throw new Error(`warm-up answered ${warm.status}`);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/users/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/csv',
        // The console refuses an upload of unknown length (it could be cut short unseen).
        'content-length': String(statSync(csv).size),
      },
      body: Readable.toWeb(createReadStream(csv)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const lines = (await res.text()).trim().split('\n');
    const done = JSON.parse(lines.at(-1)!);
    if (done.type !== 'done' || done.inserted !== ROWS)
      throw new Error(`import did not insert ${ROWS} rows: ${lines.at(-1)}`);
    await waitCount(state.dir, prefix, ['d1', 'd2']);
    const seconds = (performance.now() - t0) / 1000;
    return { rowsPerS: ROWS / seconds, rssMb: consolePeakMb(child.pid!) };
  } finally {
    stopConsole(child);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function baselineRun(state: LabState, work: string, rep: number) {
  const prefix = `b${rep}u`;
  const tsv = join(work, `${prefix}.tsv`);
  // Hashes precomputed before the clock starts, as the issue defines the baseline.
  writeFileSync(
    tsv,
    `${Array.from({ length: ROWS }, (_, i) => {
      const h = digestHashes({ username: `${prefix}${i}`, domain: state.domain, password: `pw-${i}-secret` });
      return `${prefix}${i}\t${state.domain}\t\t${h.ha1}\t${h.ha1b}`;
    }).join('\n')}\n`,
  );
  const d1 = state.nodes[0]!;
  const conn = await mysql.createConnection({
    socketPath: d1.socket,
    user: 'root',
    database: 'kamailio',
    flags: ['+LOCAL_FILES'],
    infileStreamFactory: () => createReadStream(tsv),
  });
  try {
    const t0 = performance.now();
    await conn.query(
      `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE subscriber (username, domain, password, ha1, ha1b)`,
    );
    await waitCount(state.dir, prefix, ['d1', 'd2']);
    return { rowsPerS: ROWS / ((performance.now() - t0) / 1000) };
  } finally {
    await conn.end();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bimp-'));
  const work = mkdtempSync(join(tmpdir(), 'bimp-work-'));
  const stop = async () => {
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    rmSync('bench/.work/next-import', { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  // This process needs the react-server condition (set at its start); `next start` must not get it.
  delete process.env.NODE_OPTIONS;
  // A private copy of the production build: other engineers rebuild .next while this runs.
  await ensureBuild(REPO_ROOT, (l) => console.log(l));
  const dist = 'bench/.work/next-import';
  rmSync(dist, { recursive: true, force: true });
  cpSync('.next', dist, { recursive: true, filter: (src) => !/^\.next\/(cache|dev)(\/|$)/.test(src) });
  process.env.NEXT_DIST_DIR = dist;
  const sipha: number[] = [];
  const rss: number[] = [];
  const baseline: number[] = [];
  try {
    const state = await up({ dir, nodes: 2, sip: false });
    process.env.SIPHA_CONFIG = state.configPath;
    for (let rep = 1; rep <= RUNS; rep++) {
      // Alternate which goes first: the machine is shared and noisy.
      const order = rep % 2 ? (['sipha', 'baseline'] as const) : (['baseline', 'sipha'] as const);
      for (const kind of order) {
        await reset(dir);
        if (kind === 'sipha') {
          const r = await siphaRun(state, work, rep);
          sipha.push(r.rowsPerS);
          rss.push(r.rssMb);
          console.log(
            `run ${rep} sipha: ${Math.round(r.rowsPerS)} rows/s, peak RSS ${r.rssMb.toFixed(1)} MB`,
          );
        } else {
          const r = await baselineRun(state, work, rep);
          baseline.push(r.rowsPerS);
          console.log(`run ${rep} baseline: ${Math.round(r.rowsPerS)} rows/s`);
        }
      }
    }
    const { getConnectionList } = await import('../lib/db/index.ts');
    await (await getConnectionList()).close();
  } finally {
    await stop();
  }
  report('import', [
    row({
      case: 'import_100k',
      metric: 'rows_per_s',
      unit: 'rows/s',
      sipha,
      baseline,
      baselineName: 'LOAD DATA LOCAL INFILE into d1 (precomputed hashes), until on d2',
      target: '>= 20000 and >= baseline / 2',
    }),
    row({ case: 'import_100k', metric: 'peak_rss_mb', unit: 'MB', sipha: rss, target: '<= 300' }),
  ]);
}
