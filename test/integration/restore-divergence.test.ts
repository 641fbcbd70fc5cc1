import { describe, expect, it } from 'vitest';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { until } from '../helpers/poll.ts';
import { failD1, restoreD1 } from '../helpers/restore.ts';

// Divergence planted by hand on the fenced d1, outside replication (sql_log_bin = 0).

describe('restore finds a planted divergence', () => {
  const lab = useLab({ nodes: 2 });

  it('a subscriber row changed on d1 stops the run before any lock, row shown, nothing deleted', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 5, prefix: 'rd-' });
      await adminQuery(
        dir,
        'd1',
        "SET sql_log_bin = 0; UPDATE kamailio.subscriber SET ha1 = 'tampered' WHERE username = 'user1000'; SET sql_log_bin = 1",
      );
      const [{ id }] = await adminQuery(
        dir,
        'd1',
        "SELECT id FROM kamailio.subscriber WHERE username = 'user1000'",
      );
      const v = await restoreD1(list, 'div-s');
      expect(v.status).toBe('aborted');
      expect(v.steps.find((s) => s.id === 'lock')?.status).toBe('skipped');
      expect(v.lockWindowMs).toBeNull();
      expect(v.verify?.diffs).toHaveLength(1);
      expect(v.verify?.diffs[0]).toMatchObject({
        table: 'subscriber',
        key: String(id),
        target: { ha1: 'tampered' },
      });
      expect(v.verify?.diffs[0]?.survivor?.ha1).not.toBe('tampered');
      expect(list.isFenced('d1')).toBe(true);
      for (const n of ['d1', 'd2']) {
        const [r] = await adminQuery(
          dir,
          n,
          "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'user1000'",
        );
        expect(Number(r.n)).toBe(1);
      }
      // Operator's fix (by hand, on d1), then the restore goes through.
      const [good] = await adminQuery(
        dir,
        'd2',
        "SELECT ha1 FROM kamailio.subscriber WHERE username = 'user1000'",
      );
      await adminQuery(
        dir,
        'd1',
        "SET sql_log_bin = 0; UPDATE kamailio.subscriber SET ha1 = ? WHERE username = 'user1000'; SET sql_log_bin = 1",
        [good.ha1],
      );

      // A location row only d1 has: found by the chunked checksums outside the lock (after the
      // brief snapshot lock), the run stops before the second lock; nothing deleted.
      await adminQuery(
        dir,
        'd1',
        `SET sql_log_bin = 0; INSERT INTO kamailio.location (ruid, username, domain, contact, expires, callid, cseq, last_modified, user_agent)
           VALUES ('planted-ruid-1', 'user1001', 'lab.sipha.test', 'sip:user1001@10.9.9.9', NOW() + INTERVAL 1 HOUR, 'planted', 1, NOW(), 'by hand'); SET sql_log_bin = 1`,
      );
      const w = await restoreD1(list, 'div-l');
      expect(w.status).toBe('aborted');
      expect(w.steps.find((s) => s.id === 'snapshot')?.status).toBe('done');
      expect(w.steps.find((s) => s.id === 'verify_chunks')?.status).toBe('failed');
      expect(w.steps.find((s) => s.id === 'lock')?.status).toBe('skipped');
      expect(w.steps.find((s) => s.id === 'switch')?.status).toBe('skipped');
      expect(w.lockWindowMs).not.toBeNull();
      expect(w.verify?.tables.find((t) => t.table === 'location')?.equal).toBe(false);
      expect(w.verify?.diffs.map((d) => [d.table, d.key, d.survivor])).toEqual([
        ['location', 'planted-ruid-1', null],
      ]);
      expect(list.isFenced('d1')).toBe(true);
      await adminQuery(
        dir,
        'd2',
        "SET SESSION lock_wait_timeout = 1; INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('rd-unlocked', 'lab.sipha.test', '', 'x', 'y')",
      );
      const [kept] = await adminQuery(
        dir,
        'd1',
        "SELECT COUNT(*) AS n FROM kamailio.location WHERE ruid = 'planted-ruid-1'",
      );
      expect(Number(kept.n)).toBe(1);
    } finally {
      await list.close();
    }
  }, 90_000);

  it('a row d1 committed as it failed and d2 then wrote again: the run says which row and what to do, and the fix works', async () => {
    // Continues from the case above: d1 fenced, the planted location row still on it.
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    const row = (id: number) =>
      `INSERT INTO kamailio.location (id, ruid, username, domain, contact, expires, callid, cseq, last_modified, user_agent)
         VALUES (${id}, 'retried-ruid-1', 'user1002', 'lab.sipha.test', 'sip:user1002@10.9.9.8', NOW() + INTERVAL 1 HOUR, 'retried', 1, NOW(), 'retried')`;
    try {
      await until('d1 fenced', () => list.isFenced('d1'));
      await adminQuery(
        dir,
        'd1',
        "SET sql_log_bin = 0; DELETE FROM kamailio.location WHERE ruid = 'planted-ruid-1'; SET sql_log_bin = 1",
      );
      // d1's copy (as if committed just before it died, under its own id) and d2's (the SIP
      // server's retry, replicated to d1): the same registration under another id.
      await adminQuery(dir, 'd1', `SET sql_log_bin = 0; ${row(990101)}; SET sql_log_bin = 1`);
      await adminQuery(dir, 'd2', row(990102));
      const v = await restoreD1(list, 'div-retried');
      expect(v.status).not.toBe('succeeded');
      const failed = v.steps.find((s) => s.status === 'failed');
      expect(failed?.id).toMatch(/^(replicate|catch_up)$/);
      expect(failed?.detail).toContain("kamailio.location, key ruid_idx = 'retried-ruid-1'");
      expect(failed?.detail).toContain("delete d1's copy of that row, then restore d1 again");
      expect(failed?.detail).not.toMatch(/Write_rows|HA_ERR|mysql-bin/);
      expect(list.isFenced('d1')).toBe(true);

      // What the words say to do: d1's copy goes (outside replication), and the restore succeeds.
      await adminQuery(
        dir,
        'd1',
        "SET sql_log_bin = 0; DELETE FROM kamailio.location WHERE ruid = 'retried-ruid-1'; SET sql_log_bin = 1",
      );
      const ok = await restoreD1(list, 'div-retried-2');
      expect(ok.status, ok.steps.map((s) => `${s.id} ${s.status} ${s.detail}`).join('\n')).toBe('succeeded');
      const [copy] = await adminQuery(
        dir,
        'd1',
        "SELECT id FROM kamailio.location WHERE ruid = 'retried-ruid-1'",
      );
      expect(Number(copy.id)).toBe(990102);
    } finally {
      await list.close();
    }
  }, 90_000);
});
