import { type ChildProcess, spawn } from 'node:child_process';
import type { ConnectionList } from '@/lib/db/connection-list';
import { STALE_MS } from '@/lib/jobs/interrupted';
import { interruptedRuns } from '@/lib/restore/background';
import { applyRepair } from '@/lib/restore/repair';
import type { RepairPreview, SubscriberChoice } from '@/lib/restore/repair-types';
import type { AuditSink } from '@/lib/restore/run-context';
import { runRestore } from '@/lib/restore/run-restore';
import type { RunView } from '@/lib/restore/types';
import { adminQuery, signal, start } from '../../lab/index.ts';
import type { TestPauses } from '../../scripts/restore-cli.ts';
import { eventually, until } from './poll.ts';

// Shared by the restore tests: a real failover of d1 and its return, fenced.

export async function addUser(list: ConnectionList, username: string): Promise<string> {
  const r = await list.write({
    run: (db) =>
      db
        .insertInto('subscriber')
        .values({ username, domain: 'lab.sipha.test', password: '', ha1: 'x', ha1b: 'y' })
        .execute(),
  });
  return r.node;
}

/** Kills d1, lets the list fail over (d1 fenced), writes `writes` users on d2, starts d1 again. */
export async function failD1({
  dir,
  list,
  writes,
  prefix,
}: {
  dir: string;
  list: ConnectionList;
  writes: number;
  prefix: string;
}): Promise<void> {
  // Semi-sync protects d1's commits only once d2 is connected to it again (after a previous
  // restart of d1 its IO thread reconnects within a second or so).
  await until(
    'd2 connected to d1',
    async () => (await adminQuery(dir, 'd2', 'SHOW SLAVE STATUS'))[0]?.Slave_IO_Running === 'Yes',
  );
  const [p] = await adminQuery<{ b: string }>(dir, 'd1', 'SELECT @@gtid_binlog_pos AS b');
  await adminQuery(dir, 'd2', 'SELECT MASTER_GTID_WAIT(?, 5)', [p?.b]);
  await signal(dir, 'd1', 'kill');
  await until('failover to d2', () => list.isFenced('d1') && list.active()?.handle.name === 'd2');
  for (let i = 0; i < writes; i++) await addUser(list, `${prefix}${i}`);
  await start(dir, 'd1');
  await until('d1 back, fenced and read-only', async () => {
    const n = list.node('d1');
    if (!n.reachable) return false;
    const [r] = await adminQuery<{ ro: number }>(dir, 'd1', 'SELECT @@read_only AS ro');
    return Number(r?.ro) === 1;
  });
}

export async function checksums(dir: string, node: string): Promise<string> {
  const rows = await adminQuery<{ Table: string; Checksum: number }>(
    dir,
    node,
    'CHECKSUM TABLE kamailio.subscriber, kamailio.location',
  );
  return rows.map((r) => `${r.Table}=${r.Checksum}`).join(' ');
}

/**
 * The restore command line with `--target d1` in a child process (a console of its own that can
 * be killed for real), paused until `marker` ("locked" or "switched") is printed.
 */
export function restoreInChild(opts: {
  configPath: string;
  hold: TestPauses;
  marker: 'locked' | 'switched' | 'verifying';
}): {
  child: ChildProcess;
  reached: Promise<void>;
  exited: Promise<NodeJS.Signals | null>;
} {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'test/helpers/restore-child.ts', '--target', 'd1'],
    {
      env: {
        ...process.env,
        SIPHA_CONFIG: opts.configPath,
        NODE_OPTIONS: '',
        SIPHA_TEST_PAUSES: JSON.stringify(opts.hold),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
  const reached = new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`not ${opts.marker} within 60 s:\n${out}`)), 60_000);
    child.stdout?.on('data', (b) => {
      out += b;
      if (out.includes(`${opts.marker}\n`)) {
        clearTimeout(t);
        res();
      }
    });
    child.stderr?.on('data', (b) => {
      out += b;
    });
  });
  return { child, reached, exited };
}

/** A write on d2 that gives up after 1 s when d2 is read-locked (root bypasses read_only). */
export function insertOnD2(dir: string, name: string) {
  return adminQuery(
    dir,
    'd2',
    `SET SESSION lock_wait_timeout = 1; INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES (?, 'lab.sipha.test', '', 'x', 'y')`,
    [name],
  );
}

/** A sipha-procedure restore of d1, in this process, run to its end. */
export function restoreD1(list: ConnectionList, runId: string): Promise<RunView> {
  return runRestore({ list, kind: 'restore', procedure: 'sipha', target: 'd1', actor: 'test', runId });
}

type AuditRow = Parameters<AuditSink>[0];

/**
 * Applies exactly `preview` (its choices, its digest) to d1 and its survivor, collecting the
 * audit rows; throws unless every previewed change has exactly one audit row naming its table,
 * key and node. Returns the repair's result (with the verification that ran again).
 */
export async function applyPreviewed({
  list,
  preview,
  choices = {},
}: {
  list: ConnectionList;
  preview: RepairPreview;
  choices?: Record<string, SubscriberChoice>;
}): Promise<{ done: RepairPreview; audited: AuditRow[] }> {
  const audited: AuditRow[] = [];
  const done = await applyRepair({
    list,
    target: 'd1',
    choices,
    digest: preview.digest,
    audit: async (e) => void audited.push(e),
  });
  const nodeOf = (n: 'survivor' | 'target') => (n === 'survivor' ? preview.survivor : preview.target);
  const want = [...preview.location, ...preview.subscriber]
    .map((c) => `restore.repair.${c.table} ${c.table} ${c.key} ${nodeOf(c.node)} ok`)
    .sort();
  const got = audited.map((a) => `${a.action} ${a.target} ${a.node} ${a.outcome}`).sort();
  if (JSON.stringify(got) !== JSON.stringify(want) || done.applied !== want.length)
    throw new Error(`audit rows ${JSON.stringify(got)} are not one per change ${JSON.stringify(want)}`);
  return { done, audited };
}

/**
 * After its console was killed: the run reads as interrupted once its row has been quiet for
 * STALE_MS (until then another console process may still run it: lib/jobs/interrupted.ts).
 */
export function interruptedRunsOnceQuiet(list: ConnectionList): Promise<RunView[]> {
  return eventually(
    'the killed console’s run to read as interrupted',
    async () => {
      const open = await interruptedRuns({ list });
      return open.length ? open : undefined;
    },
    STALE_MS + 10_000,
  );
}
