import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { adminQuery, signal } from '../../lab/index.ts';
import { openList } from '../helpers/console-list';
import { useLab } from '../helpers/lab';
import { until } from '../helpers/poll';

// The failure detector against real faults: the console's own event loop frozen, the whole
// machine starved by busy processes, and a real hang (SIGSTOP) of the master.

/** Freezes this thread (the console's event loop) for `ms`, as a large CSV parse would. */
function freeze(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

function busy(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

describe('failure detector', () => {
  // With SIP servers (db_cluster, co-located: p1 uses d1 first, p2 uses d2): their view is
  // part of the evidence.
  const lab = useLab({ nodes: 2 });
  let list: ConnectionList | undefined;
  const hogs: ChildProcess[] = [];

  afterAll(async () => {
    for (const h of hogs) h.kill('SIGKILL');
    await list?.close();
  });

  it('finds its worker from any working directory', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const out = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        join(root, 'tsconfig.json'),
        join(root, 'test/helpers/probe-once.ts'),
        lab().state.configPath,
      ],
      { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--conditions=react-server' } },
    );
    expect(JSON.parse(out)).toEqual([
      { name: 'd1', state: 'up' },
      { name: 'd2', state: 'up' },
    ]);
  });

  it('is not fooled by a frozen console event loop', async () => {
    list = await openList(lab().state.configPath);
    const write = list.write({ run: (db) => sql`SELECT 1`.execute(db) });
    freeze(3000);
    expect((await write).node).toBe('d1');
    await new Promise((r) => setTimeout(r, 1500)); // let any (wrong) verdict arrive and apply
    for (const n of list.nodes) expect(n.reachable, n.handle.name).toBe(true);
    expect(list.isFenced('d1')).toBe(false);
    expect(list.active()?.handle.name).toBe('d1');
  });

  it('is not fooled by a starved machine', async () => {
    hogs.push(...busy(6));
    const end = Date.now() + 8000;
    let writes = 0;
    while (Date.now() < end) {
      const r = await list!.write({ run: (db) => sql`SELECT 1`.execute(db) });
      expect(r.node).toBe('d1');
      writes++;
      freeze(200); // the console is busy too
    }
    for (const h of hogs.splice(0)) h.kill('SIGKILL');
    expect(writes).toBeGreaterThan(0);
    expect(list!.isFenced('d1')).toBe(false);
    expect(list!.nodes.every((n) => n.reachable === true)).toBe(true);
  });

  it('fails over on a real hang and writes the evidence in the audit row', async () => {
    const { dir } = lab();
    await signal(dir, 'd1', 'stop');
    try {
      await until('failover to d2', () => list!.isFenced('d1') && list!.active()?.handle.name === 'd2');
      const audited = () =>
        adminQuery<{ detail: string; node: string }>(
          dir,
          'd2',
          "SELECT detail, node FROM kamailio.sipha_audit WHERE action = 'failover' ORDER BY id DESC LIMIT 1",
        );
      await until('the failover audit row', async () => (await audited()).length > 0);
      const rows = await audited();
      expect(rows[0]?.node).toBe('d2');
      expect(rows[0]?.detail).toMatch(/^d1 is down: \d+ probes over \d+ ms without answer/);
      expect(rows[0]?.detail).toMatch(/d2 received no event from d1 for \d+ ms; /);
      // p1 (d1 first) was asked after the console lost d1; p2 (d2 first) has no view of d1. A
      // hang is found before db_cluster can have noticed it, so p1 still lists d1 in use.
      expect(rows[0]?.detail).toMatch(
        /; p1 (still uses d1 \(too soon to tell\)|marked d1 inactive); writes go to d2$/,
      );
      expect(rows[0]?.detail).not.toContain('p2');
    } finally {
      await signal(dir, 'd1', 'cont');
    }
    // Once it answers again, the fenced d1 is made read-only.
    await until('d1 read-only', async () => {
      const [r] = await adminQuery<{ ro: number }>(dir, 'd1', 'SELECT @@read_only AS ro');
      return Number(r?.ro) === 1;
    });
  });
});
