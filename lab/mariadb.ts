import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { procState, waitUntil } from './process.ts';

export const MARIADBD = '/usr/sbin/mariadbd';

function version(): string {
  const out = execFileSync(MARIADBD, ['--version'], { encoding: 'utf8' });
  return /Ver\s+(\S+)/.exec(out)?.[1]?.replace(/[^A-Za-z0-9.+-]/g, '_') ?? 'unknown';
}

/**
 * `mariadb-install-db` runs once per server version into a cached template; each node gets a
 * copy (cp -a), which is much faster than bootstrapping every datadir. Built in a temporary
 * directory and renamed into place so parallel labs never copy a half-written template.
 */
export function templateDir(): string {
  const dir = join(tmpdir(), `sipha-mariadb-template-${version()}`);
  if (existsSync(join(dir, 'mysql'))) return dir;
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${tmp}`,
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      '--innodb-log-file-size=8M',
    ],
    { stdio: 'pipe' },
  );
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another lab won the race: use its copy
  }
  return dir;
}

export function createDatadir(datadir: string): void {
  const tpl = templateDir();
  // Each node's temporary files in its own folder: never shared with whatever cleans /tmp.
  mkdirSync(join(datadir, '..', 'tmp'), { recursive: true });
  cpSync(tpl, datadir, { recursive: true, preserveTimestamps: true });
}

export interface NodeArgsInput {
  index: number; // 1-based
  count: number;
  fresh: boolean;
  port: number;
  datadir: string;
  runDir: string;
  extra?: string[];
}

/** The mariadbd command line of a lab node; `--no-defaults` keeps /etc/mysql out of it. */
export function nodeArgs(o: NodeArgsInput): string[] {
  const args = [
    '--no-defaults',
    '--user=root',
    `--datadir=${o.datadir}`,
    `--socket=${join(o.runDir, 'mysqld.sock')}`,
    `--pid-file=${join(o.runDir, 'mysqld.pid')}`,
    `--log-error=${join(o.runDir, 'mysqld.err')}`,
    `--tmpdir=${join(o.runDir, 'tmp')}`,
    `--port=${o.port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    '--performance-schema=OFF',
    // MariaDB's own defaults. An 8 MB redo log made every commit wait for page flushing while
    // 200,000 rows were written (e2e/restore-progress.spec.ts): inserts stalled 2.5 s, longer
    // than Kamailio's 2 s database timeout, and a REGISTER's write was retried on the peer.
    '--innodb-buffer-pool-size=128M',
    '--innodb-log-file-size=96M',
    '--max-connections=200',
    `--server-id=${o.index}`,
    '--log-bin=mysql-bin',
    '--binlog-format=ROW',
    '--log-slave-updates=ON',
    '--gtid-strict-mode=OFF',
    // The lab's own relay log name, so it does not depend on the host name.
    '--relay-log=relay-bin',
  ];
  // A fresh lab is the setup wizard's starting point: those three are what the wizard sets.
  if (!o.fresh) {
    args.push(
      `--gtid-domain-id=${o.index}`,
      `--auto-increment-increment=${o.count}`,
      `--auto-increment-offset=${o.index}`,
      // Lossless semi-synchronous replication: a commit is acknowledged only once a peer has
      // the event, so a write sipha reported saved on d1 survives d1's sudden death. No wait
      // when no peer is connected; the console turns the wait off on the survivor at failover.
      '--rpl-semi-sync-master-enabled=ON',
      '--rpl-semi-sync-slave-enabled=ON',
      '--rpl-semi-sync-master-wait-point=AFTER_SYNC',
      '--rpl-semi-sync-master-wait-no-slave=OFF',
      '--rpl-semi-sync-master-timeout=1000',
    );
  }
  return [...args, ...(o.extra ?? [])];
}

/** Root over the unix socket (unix_socket authentication); only the lab's own user can use it. */
export function rootConnection(socket: string) {
  return mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true });
}

export async function query<T = unknown>(socket: string, sql: string, params?: unknown[]): Promise<T[]> {
  const conn = await rootConnection(socket);
  try {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

/** Ready means answering a query, not merely having a socket file. */
export async function waitMariadb(socket: string, pid: number, timeoutMs = 60_000): Promise<void> {
  await waitUntil(
    `mariadbd (${socket})`,
    async () => (await query<{ ok: number }>(socket, 'SELECT 1 AS ok'))[0]?.ok === 1,
    timeoutMs,
    () => procState(pid) !== 'down',
  );
}
