import { describe, expect, it } from 'vitest';
import { redactRepair } from '@/lib/restore/redact';
import { applyRepair, previewRepair } from '@/lib/restore/repair';
import { adminQuery } from '../../lab/index.ts';
import { openList } from '../helpers/console-list.ts';
import { useLab } from '../helpers/lab.ts';
import { applyPreviewed, failD1, restoreD1 } from '../helpers/restore.ts';

// What diverged while the nodes were apart, planted outside replication (sql_log_bin = 0) as a
// partition leaves it, found by the verification, repaired with a preview, verified again.

const loc = (ruid: string, user: string, ip: string, minutes: number) =>
  `SET sql_log_bin = 0; INSERT INTO kamailio.location (ruid, username, domain, contact, expires, callid, cseq, last_modified, user_agent)
   VALUES ('${ruid}', '${user}', 'lab.sipha.test', 'sip:${user}@${ip}', UTC_TIMESTAMP() + INTERVAL ${minutes} MINUTE, '${ruid}', 1, UTC_TIMESTAMP(), 'partition'); SET sql_log_bin = 1`;

const ruids = async (dir: string, node: string) =>
  (
    await adminQuery<{ ruid: string }>(
      dir,
      node,
      "SELECT ruid FROM kamailio.location WHERE ruid LIKE 'part-%' ORDER BY ruid",
    )
  ).map((r) => r.ruid);

describe('repair of what diverged', () => {
  const lab = useLab({ nodes: 2 });

  it('merges registrations made on both sides of a partition: newer expires wins, one-sided rows copied', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 2, prefix: 'rm-' });
      // The same phone at both sites: survivor newer (u1), returning newer (u4); one-sided u2, u3.
      await adminQuery(dir, 'd2', loc('part-s1', 'user1001', '10.0.0.1', 60));
      await adminQuery(dir, 'd1', loc('part-t1', 'user1001', '10.0.0.1', 30));
      await adminQuery(dir, 'd1', loc('part-t2', 'user1002', '10.0.0.2', 60));
      await adminQuery(dir, 'd2', loc('part-s3', 'user1003', '10.0.0.3', 60));
      await adminQuery(dir, 'd2', loc('part-s4', 'user1004', '10.0.0.4', 10));
      await adminQuery(dir, 'd1', loc('part-t4', 'user1004', '10.0.0.4', 50));
      const v = await restoreD1(list, 'rm-1');
      expect(v.status).toBe('aborted');
      expect(v.steps.find((s) => s.id === 'verify_chunks')?.status).toBe('failed');
      expect(v.verify?.diffs.map((d) => d.key).sort()).toEqual([
        'part-s1',
        'part-s3',
        'part-s4',
        'part-t1',
        'part-t2',
        'part-t4',
      ]);
      const p = await previewRepair({ list, target: 'd1', choices: {} });
      const plan = p.location.map((c) => `${c.node} ${c.op} ${c.key}`).sort();
      expect(plan).toEqual(
        expect.arrayContaining([
          'survivor delete part-s4',
          'survivor insert part-t2',
          'survivor insert part-t4',
          'target delete part-t1',
          'target insert part-s1',
          'target insert part-s3',
        ]),
      );
      // The preview changed nothing.
      expect(await ruids(dir, 'd1')).toEqual(['part-t1', 'part-t2', 'part-t4']);
      await expect(
        applyRepair({
          list,
          target: 'd1',
          choices: {},
          digest: 'f'.repeat(64),
          audit: async () => undefined,
        }),
      ).rejects.toThrow(/changed since the preview/);
      const { done, audited } = await applyPreviewed({ list, preview: p });
      expect(done.after?.ok).toBe(true);
      const merged = ['part-s1', 'part-s3', 'part-t2', 'part-t4'];
      expect(await ruids(dir, 'd1')).toEqual(merged);
      expect(await ruids(dir, 'd2')).toEqual(merged);
      expect(audited.filter((a) => a.action === 'restore.repair.location')).toHaveLength(done.applied ?? -1);
      const w = await restoreD1(list, 'rm-2');
      expect(w.status, w.message).toBe('succeeded');
    } finally {
      await list.close();
    }
  }, 120_000);

  it('resolves subscriber differences only by the operator’s choice, row by row', async () => {
    const { dir, state } = lab();
    const list = await openList(state.configPath, { probeIntervalMs: 100 });
    try {
      await failD1({ dir, list, writes: 2, prefix: 'rs-' });
      const sub = (u: string) =>
        `SET sql_log_bin = 0; INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('${u}', 'lab.sipha.test', '', 'secret-${u}', 'y'); SET sql_log_bin = 1`;
      await adminQuery(
        dir,
        'd1',
        "SET sql_log_bin = 0; UPDATE kamailio.subscriber SET ha1 = 'tampered' WHERE username = 'user1000'; SET sql_log_bin = 1",
      );
      await adminQuery(dir, 'd1', sub('only-t'));
      await adminQuery(dir, 'd2', sub('only-s'));
      const idOf = async (node: string, u: string) =>
        String(
          (await adminQuery(dir, node, 'SELECT id FROM kamailio.subscriber WHERE username = ?', [u]))[0]?.id,
        );
      const [changed, onlyT, onlyS] = [
        await idOf('d2', 'user1000'),
        await idOf('d1', 'only-t'),
        await idOf('d2', 'only-s'),
      ];
      const v = await restoreD1(list, 'rs-1');
      expect(v.status).toBe('aborted');
      expect(v.lockWindowMs).toBeNull();

      // No choice, no change: the differences are listed, nothing is planned.
      const none = await previewRepair({ list, target: 'd1', choices: {} });
      expect(none.subscriberDiffs.map((d) => d.choice)).toEqual([null, null, null]);
      expect(none.subscriber).toEqual([]);
      await expect(
        applyRepair({ list, target: 'd1', choices: {}, digest: none.digest, audit: async () => undefined }),
      ).rejects.toThrow(/Nothing to repair/);
      const shown = JSON.stringify(redactRepair(none));
      expect(shown).not.toContain('tampered');
      expect(shown).not.toContain('secret-');

      const choices = { [changed]: 'survivor', [onlyT]: 'delete', [onlyS]: 'survivor' } as const;
      const p = await previewRepair({ list, target: 'd1', choices });
      expect(p.subscriber.map((c) => `${c.node} ${c.op} ${c.key}`).sort()).toEqual(
        [
          `target delete ${changed}`,
          `target insert ${changed}`,
          `target delete ${onlyT}`,
          `target insert ${onlyS}`,
        ].sort(),
      );
      const { done, audited } = await applyPreviewed({ list, preview: p, choices });
      expect(done.after?.ok).toBe(true);
      expect(audited.filter((a) => a.action === 'restore.repair.subscriber')).toHaveLength(4);
      for (const n of ['d1', 'd2']) {
        const rows = await adminQuery(
          dir,
          n,
          "SELECT username, ha1 FROM kamailio.subscriber WHERE username IN ('user1000', 'only-t', 'only-s') ORDER BY username",
        );
        expect(rows.map((r) => r.username)).toEqual(['only-s', 'user1000']);
        expect(rows[1]?.ha1).not.toBe('tampered');
      }
      const w = await restoreD1(list, 'rs-2');
      expect(w.status, w.message).toBe('succeeded');
    } finally {
      await list.close();
    }
  }, 120_000);
});
