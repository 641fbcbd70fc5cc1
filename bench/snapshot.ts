// `npm run bench -- snapshot [runs]`: the wizard's initial copy. d1 holds 100,000
// subscribers and 1,000,000 location rows, d2 is empty; each run times the wizard's copy until
// d2 replicates from the recorded position, and, alternating in the same lab, the baseline
// `mariadb-dump --single-transaction --master-data=1 | mariadb` into d2 followed by the same
// CHANGE MASTER/START SLAVE. d2 is emptied before every run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, down, up } from '../lab/index.ts';
import { parseConfig } from '../lib/config/load.ts';
import type { WizardContext } from '../lib/wizard/context.ts';
import { runDirectionsStep } from '../lib/wizard/directions.ts';
import { createIO } from '../lib/wizard/io.ts';
import { applyFixes } from '../lib/wizard/preflight.ts';
import { runUserStep } from '../lib/wizard/repl-user.ts';
import { runDataStep } from '../lib/wizard/snapshot.ts';
import { emptySteps, type RunState } from '../lib/wizard/types.ts';
import { report, row } from './lib/report.ts';

export const description =
  'wizard SQL snapshot copy (100k subscribers + 1M location) vs mariadb-dump | mariadb';

const SUBSCRIBERS = 100_000;
const LOCATIONS = 1_000_000;

async function fill(dir: string) {
  const q = (sql: string) => adminQuery(dir, 'd1', sql);
  await q(
    `SET sql_log_bin = 0; USE kamailio; INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b)
     SELECT CONCAT('user', 1000 + seq), 'lab.sipha.test', '', MD5(seq), MD5(seq + 1) FROM seq_100_to_${SUBSCRIBERS - 1}`,
  );
  for (let from = 1; from <= LOCATIONS; from += 200_000) {
    await q(
      `SET sql_log_bin = 0; USE kamailio; INSERT INTO kamailio.location (ruid, username, domain, contact, received, path, expires, q, callid, cseq,
         last_modified, flags, cflags, user_agent, socket, methods, instance, reg_id, server_id, connection_id, keepalive, \`partition\`)
       SELECT CONCAT('uloc-', seq), CONCAT('user', 1000 + seq % ${SUBSCRIBERS}), 'lab.sipha.test',
         CONCAT('sip:user', seq, '@10.', seq % 250, '.', seq % 200, '.1:5060;transport=udp'), NULL, NULL,
         '2030-01-01 00:00:00', 1.0, CONCAT('call-', seq, '@bench.sipha.test'), 1, NOW(), 0, 0, 'sipp bench agent',
         'udp:127.0.0.1:5060', 8191, NULL, 0, 1, -1, 0, 0
       FROM seq_${from}_to_${Math.min(LOCATIONS, from + 199_999)}`,
    );
  }
}

async function resetD2(dir: string) {
  for (const node of ['d1', 'd2'])
    await adminQuery(dir, node, "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL gtid_slave_pos = ''");
  await adminQuery(dir, 'd2', 'DROP DATABASE IF EXISTS kamailio; RESET MASTER');
}

async function waitReplicating(dir: string) {
  for (;;) {
    const [s] = await adminQuery(dir, 'd2', 'SHOW SLAVE STATUS');
    if (s?.Slave_IO_Running === 'Yes' && s.Slave_SQL_Running === 'Yes') return;
    if (s?.Last_IO_Errno || s?.Last_SQL_Errno)
      throw new Error(`baseline replica failed: ${s.Last_IO_Error || s.Last_SQL_Error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sh(cmd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-o', 'pipefail', '-c', cmd], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (${code}): ${err}`))));
  });
}

export const usage = '[RUNS]';

export async function run(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`RUNS must be a whole number, got ${args[0]}`);
  const dir = mkdtempSync(join(tmpdir(), 'bsnap-'));
  const bigPool = ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=256M'];
  const stop = async () => {
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const state = await up({
      dir,
      nodes: 2,
      fresh: true,
      sip: false,
      extraNodeArgs: { d1: bigPool, d2: bigPool },
    });
    const config = parseConfig(JSON.parse(readFileSync(state.configPath, 'utf8')));
    const [d1, d2] = config.nodes as [(typeof config.nodes)[0], (typeof config.nodes)[0]];
    console.log('filling d1 …');
    await fill(dir);
    const ctx = {
      nodes: config.nodes,
      actor: 'bench',
      audit: async () => undefined,
    } as unknown as WizardContext;
    const run: RunState = {
      runId: 'bench',
      status: 'open',
      currentStep: 'data',
      nodes: config.nodes.map((n) => ({ name: n.name, replicationHost: n.host, replicationPort: n.port })),
      steps: emptySteps(),
      createdBy: 'bench',
      createdAt: '',
      updatedAt: '',
    };
    await applyFixes({ ctx, run, io: createIO({ dryRun: false }) });
    await runUserStep({ ctx, run, io: createIO({ dryRun: false }) });
    // The baseline replica logs in with an account of its own on d1 (not part of the timing).
    await adminQuery(
      dir,
      'd1',
      "SET sql_log_bin = 0; CREATE USER IF NOT EXISTS 'bench_repl'@'127.0.0.1' IDENTIFIED BY 'bench-pw'; GRANT REPLICATION SLAVE ON *.* TO 'bench_repl'@'127.0.0.1'",
    );

    const wizard: number[] = [];
    const rss: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      await resetD2(dir);
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const t0 = performance.now();
      await runDataStep({ ctx, run, io: createIO({ dryRun: false }), mode: 'copy' });
      await runDirectionsStep({ ctx, run, io: createIO({ dryRun: false }) });
      wizard.push((performance.now() - t0) / 1000);
      clearInterval(sampler);
      rss.push(peak / 2 ** 20);
      const [n] = await adminQuery(dir, 'd2', 'SELECT COUNT(*) AS n FROM kamailio.location');
      if (n.n !== LOCATIONS) throw new Error(`wizard copy has ${n.n} location rows`);
      console.log(
        `run ${i + 1}: wizard ${wizard.at(-1)!.toFixed(1)} s, peak RSS ${rss.at(-1)!.toFixed(0)} MB`,
      );

      await resetD2(dir);
      const b0 = performance.now();
      await adminQuery(dir, 'd2', 'CREATE DATABASE kamailio');
      await sh(
        `mariadb-dump --single-transaction --master-data=1 -h ${d1.host} -P ${d1.port} -u ${d1.user} kamailio | mariadb -h ${d2.host} -P ${d2.port} -u ${d2.user} kamailio`,
        { MYSQL_PWD: d1.password },
      );
      await adminQuery(
        dir,
        'd2',
        `CHANGE MASTER TO MASTER_HOST = '${d1.host}', MASTER_PORT = ${d1.port}, MASTER_USER = 'bench_repl', MASTER_PASSWORD = 'bench-pw'; START SLAVE`,
      );
      await waitReplicating(dir);
      baseline.push((performance.now() - b0) / 1000);
      console.log(`run ${i + 1}: baseline ${baseline.at(-1)!.toFixed(1)} s`);
    }
    report('snapshot', [
      row({
        case: 'snapshot_1m',
        metric: 'seconds',
        unit: 's',
        sipha: wizard,
        baseline,
        baselineName: 'mariadb-dump --single-transaction --master-data=1 | mariadb',
        target: '<= 1.5x baseline',
      }),
      row({ case: 'snapshot_1m', metric: 'peak_rss_mb', unit: 'MB', sipha: rss, target: '<= 300' }),
    ]);
  } finally {
    await stop();
  }
}
