import { describe, expect, it } from 'vitest';
import type { ConnectionList } from '@/lib/db/connection-list';
import { interruptedRuns, rollbackRun } from '@/lib/restore/background';
import { runRestore } from '@/lib/restore/run-restore';
import { saveRun } from '@/lib/restore/store';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { until } from '../helpers/poll.ts';
import { addUser, checksums, failD1 } from '../helpers/restore.ts';

// The restore engine against a real two-node lab: a real SIGKILL of d1, writes on d2 while
// d1 is away, d1 back fenced and read-only, then the restore.

describe('restore a failed master', () => {
  const lab = useLab({ nodes: 2 });
  const audits: string[] = [];
  const audit = async (e: { action: string; outcome: string; detail: string }) => {
    audits.push(`${e.action} ${e.outcome}`);
  };
  let list: ConnectionList;

  it('restores d1 after a failover: catch-up, short lock, equal checksums, d1 active, semi-sync back', async () => {
    const { dir, state } = lab();
    list = await openList(state.configPath, { probeIntervalMs: 100 });
    await failD1({ dir, list, writes: 30, prefix: 'rs-a' });
    const v = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'run-a',
      audit,
    });
    expect(v.status, v.message).toBe('succeeded');
    expect(v.verify?.ok).toBe(true);
    expect(v.verify?.tables.every((t) => t.equal)).toBe(true);
    // The README's budget: under a second (16 ms measured under load; the lease allows 30 s).
    expect(v.lockWindowMs).toBeGreaterThan(0);
    expect(v.lockWindowMs).toBeLessThan(1000);
    expect(list.isFenced('d1')).toBe(false);
    expect(list.active()?.handle.name).toBe('d1');
    const [d1] = await adminQuery(dir, 'd1', 'SELECT @@read_only AS ro');
    const [d2] = await adminQuery(dir, 'd2', 'SELECT @@rpl_semi_sync_master_enabled AS ss');
    expect(Number(d1.ro)).toBe(0);
    expect(Number(d2.ss)).toBe(1);
    expect(await checksums(dir, 'd1')).toBe(await checksums(dir, 'd2'));
    const [n] = await adminQuery(
      dir,
      'd1',
      "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'rs-a%'",
    );
    expect(Number(n.n)).toBe(30);
    expect(await addUser(list, 'rs-after-a')).toBe('d1');
    // Every step audited once; the lock-time audits were written after the unlock.
    for (const s of [
      'replicate',
      'catch_up',
      'precheck',
      'blockers',
      'lock',
      'final_wait',
      'verify',
      'switch',
      'unlock',
    ])
      expect(audits.filter((a) => a.startsWith(`restore.${s} `))).toEqual([`restore.${s} ok`]);
    expect(audits).toContain('restore.finish ok');
    const [row] = await adminQuery(
      dir,
      'd1',
      "SELECT status, JSON_VALUE(state, '$.lockWindowMs') AS lock_window_ms FROM kamailio.sipha_job WHERE job_id = 'run-a' AND kind = 'restore'",
    );
    expect(row.status).toBe('succeeded');
    expect(Number(row.lock_window_ms)).toBe(v.lockWindowMs);
  });

  it('paper procedure: replication stopped, lock first, catch up under the lock', async () => {
    const { dir } = lab();
    await failD1({ dir, list, writes: 20, prefix: 'rs-p' });
    await adminQuery(dir, 'd1', 'STOP SLAVE');
    const v = await runRestore({
      list,
      kind: 'restore',
      procedure: 'paper',
      target: 'd1',
      actor: 'test',
      runId: 'run-p',
      audit,
    });
    expect(v.status, JSON.stringify([v.message, v.verify, v.steps.map((s) => s.detail)])).toBe('succeeded');
    expect(v.steps.map((s) => s.id)).toEqual([
      'blockers',
      'lock',
      'replicate',
      'final_wait',
      'verify',
      'switch',
      'unlock',
    ]);
    expect(v.steps.find((s) => s.id === 'replicate')?.detail).toMatch(/replicates from d2/);
    expect(await checksums(dir, 'd1')).toBe(await checksums(dir, 'd2'));
    expect(list.active()?.handle.name).toBe('d1');
  });

  it('planned switchover to d2 and restore back to d1 with the same machinery', async () => {
    const { dir } = lab();
    const s = await runRestore({
      list,
      kind: 'switchover',
      procedure: 'sipha',
      target: 'd2',
      actor: 'test',
      runId: 'run-s',
    });
    expect(s.status, s.message).toBe('succeeded');
    expect(list.isFenced('d1')).toBe(true);
    expect(list.active()?.handle.name).toBe('d2');
    expect(await addUser(list, 'rs-during-maint')).toBe('d2');
    const r = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'run-s2',
    });
    expect(r.status, r.message).toBe('succeeded');
    expect(list.active()?.handle.name).toBe('d1');
    expect(await checksums(dir, 'd1')).toBe(await checksums(dir, 'd2'));
  });

  it('a lease that runs out unlocks the survivor by itself and aborts the run', async () => {
    const { dir } = lab();
    await failD1({ dir, list, writes: 3, prefix: 'rs-l' });
    const v = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'run-l',
      leaseMs: 400,
      testHoldMs: 1500,
    });
    expect(v.status).toBe('failed');
    expect(v.message).toMatch(/lease/);
    expect(list.isFenced('d1')).toBe(true);
    // The survivor takes writes again (FTWRL died with its session).
    await adminQuery(
      dir,
      'd2',
      "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('rs-l-after', 'lab.sipha.test', '', 'x', 'y')",
    );
    const ok = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'run-l2',
    });
    expect(ok.status, ok.message).toBe('succeeded');
  });

  it('a run left "running" by a dead console is offered for roll back, which fences the node again', async () => {
    const { dir } = lab();
    const v = await runRestore({
      list,
      kind: 'switchover',
      procedure: 'sipha',
      target: 'd2',
      actor: 'test',
      runId: 'run-i0',
    });
    expect(v.status).toBe('succeeded');
    const back = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'run-i1',
    });
    expect(back.status).toBe('succeeded');
    // As a console killed right after the switch would leave it: status still running.
    await saveRun({
      list,
      view: { ...back, runId: 'run-i2', status: 'running', phase: 'unlock', finishedAt: null },
    });
    const open = await interruptedRuns({ list });
    expect(open.map((r) => r.runId)).toEqual(['run-i2']);
    const r = await rollbackRun({ list, runId: 'run-i2', actor: 'test' });
    expect(r.detail).toMatch(/d1 fenced again/);
    expect(list.isFenced('d1')).toBe(true);
    await until(
      'd1 read-only again',
      async () => Number((await adminQuery(dir, 'd1', 'SELECT @@read_only AS ro'))[0].ro) === 1,
    );
    expect(await interruptedRuns({ list })).toEqual([]);
    const again = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'run-i3',
    });
    expect(again.status, again.message).toBe('succeeded');
    await list.close();
  });
});
