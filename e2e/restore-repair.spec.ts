import { expect, test } from '@playwright/test';
import { adminQuery } from '../lab/index.ts';
import { crashAndReturnD1, recoverD1IfNeeded } from './support/recover';
import { labDir, signIn } from './support/session';

// Repair in the browser: while d1 was down, the two nodes drifted apart outside replication (as a
// partition leaves them): a registration only on d2, the same registration with another
// `expires` on each node, and a user whose password differs. The restore stops and shows the
// rows by key (secrets hidden); the repair panel previews the location merge and the chosen
// subscriber change, applies them (audited), compares again ("identical"), and the restore then
// succeeds. The shared lab is left with d1 active, nothing fenced and no planted row.

const ONLY_D2 = 'e2e-repair-only-d2';
const EXPIRES = 'e2e-repair-expires';
const USER = 'e2e-repair-user';
const USER_ID = '990005';
const SECRETS = ['pw-on-d1-secret', 'pw-on-d2-secret', 'ha1-on-d1-secret', 'ha1-on-d2-secret'];

const location = (id: number, ruid: string, user: string, minutes: number) =>
  `INSERT INTO kamailio.location (id, ruid, username, domain, contact, expires, callid, cseq, last_modified, user_agent)
   VALUES (${id}, '${ruid}', '${user}', 'lab.sipha.test', 'sip:${user}@10.0.9.${id % 250}', UTC_TIMESTAMP() + INTERVAL ${minutes} MINUTE, '${ruid}', 1, UTC_TIMESTAMP(), 'e2e-repair')`;
const subscriber = (node: 'd1' | 'd2') =>
  `INSERT INTO kamailio.subscriber (id, username, domain, password, ha1, ha1b)
   VALUES (${USER_ID}, '${USER}', 'lab.sipha.test', 'pw-on-${node}-secret', 'ha1-on-${node}-secret', 'ha1b')`;

/** Writes on one node only, outside replication. */
const apart = (node: 'd1' | 'd2', sql: string) =>
  adminQuery(labDir, node, `SET sql_log_bin = 0; ${sql}; SET sql_log_bin = 1`);

const cleanUp = `DELETE FROM kamailio.location WHERE ruid LIKE 'e2e-repair-%'; DELETE FROM kamailio.subscriber WHERE id = ${USER_ID}`;

test.describe('repair what diverged, in the browser', () => {
  test.afterEach(async ({ page }) => {
    // A spec stopped midway leaves planted rows on either node: gone from both, outside replication.
    for (const node of ['d1', 'd2'] as const)
      if ((await adminQuery(labDir, node, 'SELECT 1 AS up').catch(() => [])).length)
        await apart(node, cleanUp);
    await recoverD1IfNeeded({ labDir, request: page.request });
  });

  test('rows differing after a crash are shown by key, merged or resolved by choice, audited, verified identical', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const [before] = await adminQuery<{ id: number }>(
      labDir,
      'd2',
      'SELECT COALESCE(MAX(id), 0) AS id FROM kamailio.sipha_audit',
    );
    await signIn(page, 'admin');
    await crashAndReturnD1({
      page,
      labDir,
      during: async () => {
        await apart('d2', location(990001, ONLY_D2, 'e2erepair1', 60));
        await apart('d2', location(990003, EXPIRES, 'e2erepair2', 60));
        await apart('d2', subscriber('d2'));
      },
    });
    // d1 is back (fenced, read-only): root writes there outside replication too.
    await apart('d1', location(990003, EXPIRES, 'e2erepair2', 30));
    await apart('d1', subscriber('d1'));

    await page.getByRole('link', { name: 'Restore' }).click();
    const card = page.getByRole('region', { name: /^d1: fenced/ });
    await card.getByRole('button', { name: 'Restore d1' }).click();
    const run = page.getByRole('region', { name: /Restore of d1 from d2/ });
    await expect(run.getByTestId('run-status')).toHaveText('aborted, nothing switched', { timeout: 60_000 });
    await expect(run.getByTestId('verification')).toHaveText('✗ Verification failed: d1 and d2 differ');
    // The differing user by its key, both versions, its secrets hidden.
    const row = run.getByRole('row').filter({ hasText: USER_ID });
    await expect(row).toContainText(`username=${USER}`);
    await expect(row).toContainText('password=(differs, hidden)');
    await expect(row).toContainText('ha1=(differs, hidden)');
    await expect(run).toContainText('location was not compared: the run stopped before.');

    const repair = card.getByRole('region', { name: 'Repair d1' });
    await repair.getByRole('button', { name: 'Find the differences and preview a repair' }).click();
    const merge = repair.getByRole('table', { name: /^location: merge/ });
    await expect(merge.getByRole('row').filter({ hasText: ONLY_D2 }).getByRole('cell')).toContainText([
      'd1 (returning)',
      'insert',
      ONLY_D2,
    ]);
    await expect(merge.getByRole('row').filter({ hasText: EXPIRES })).toHaveCount(2);
    await expect(merge.getByRole('row').filter({ hasText: EXPIRES }).first()).toContainText('delete');
    await expect(merge).not.toContainText('d2 (survivor)');
    const diff = repair.getByTestId(`subscriber-diff-${USER_ID}`);
    await expect(diff).toContainText(`${USER}@lab.sipha.test · differs in password, ha1`);
    await expect(repair.getByRole('table', { name: 'subscriber: as you chose' })).toHaveCount(0);
    await expect(repair).toContainText('1 subscriber row(s) still without a choice');

    // A choice not yet previewed cannot be applied.
    await diff.getByLabel("keep d2's (survivor)").check();
    await expect(repair.getByRole('button', { name: /^Apply these/ })).toBeDisabled();
    await expect(repair).toContainText('Your choices changed: preview them before applying.');
    await repair.getByRole('button', { name: 'Preview with these choices' }).click();
    const chosen = repair.getByRole('table', { name: 'subscriber: as you chose' });
    await expect(chosen.getByRole('row').filter({ hasText: USER_ID })).toHaveCount(2);
    await expect(chosen).toContainText("keep the survivor's");
    await expect(repair.getByRole('button', { name: 'Apply these 5 change(s)' })).toBeEnabled();
    await page.screenshot({ path: testInfo.outputPath('repair-preview.png'), fullPage: true });
    for (const s of SECRETS) expect(await page.content()).not.toContain(s);

    await repair.getByRole('button', { name: 'Apply these 5 change(s)' }).click();
    await expect(repair.getByTestId('repair-after')).toContainText('✓ identical; restore d1 now.', {
      timeout: 60_000,
    });
    await expect(
      page.getByRole('heading', { name: 'd1: fenced, repaired and compared identical: restore it now' }),
    ).toBeVisible();
    await expect(repair.getByRole('button', { name: /^Apply these/ })).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('repair-applied.png'), fullPage: true });
    // One audit row per change, by the operator, each naming its node.
    const audited = await adminQuery<{ action: string; target: string; node: string; actor: string }>(
      labDir,
      'd2',
      "SELECT action, target, node, actor, outcome FROM kamailio.sipha_audit WHERE action IN ('restore.repair.location', 'restore.repair.subscriber') AND id > ? ORDER BY id",
      [before?.id],
    );
    expect(audited.map((a) => `${a.action} ${a.target} on ${a.node} by ${a.actor}`).sort()).toEqual(
      [
        `restore.repair.location location ${ONLY_D2}`,
        `restore.repair.location location ${EXPIRES}`,
        `restore.repair.location location ${EXPIRES}`,
        `restore.repair.subscriber subscriber ${USER_ID}`,
        `restore.repair.subscriber subscriber ${USER_ID}`,
      ]
        .map((x) => `${x} on d1 by e2e-admin`)
        .sort(),
    );

    // Verified again by the restore itself: the nodes are identical now, d1 takes the writes.
    await card.getByRole('button', { name: 'Restore d1' }).click();
    await expect(run.getByTestId('run-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(run.getByTestId('verification')).toHaveText('✓ Verified: d1 and d2 are identical');
    await expect(page.getByTestId('restore-status')).toHaveText(
      'd1 takes the writes. Nothing is fenced: no restore is needed.',
    );
    await page.screenshot({ path: testInfo.outputPath('restore-after-repair.png'), fullPage: true });
    for (const node of ['d1', 'd2'] as const) {
      const rows = await adminQuery<{ ruid: string; exp: number }>(
        labDir,
        node,
        "SELECT ruid, TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), expires) AS exp FROM kamailio.location WHERE ruid LIKE 'e2e-repair-%' ORDER BY ruid",
      );
      expect(rows.map((r) => r.ruid)).toEqual([EXPIRES, ONLY_D2]);
      // The newer registration (d2's, an hour) won the merge.
      expect(Number(rows[0]?.exp)).toBeGreaterThan(45);
      const [u] = await adminQuery<{ password: string }>(
        labDir,
        node,
        `SELECT password FROM kamailio.subscriber WHERE id = ${USER_ID}`,
      );
      expect(u?.password).toBe('pw-on-d2-secret');
    }
    // Identical on both: removed through replication, from the active node.
    await adminQuery(labDir, 'd1', cleanUp);
  });
});
