import { expect, test } from '@playwright/test';
import { adminQuery } from '../lab/index.ts';
import { fillLarge, settled } from '../test/helpers/restore-large.ts';
import { crashAndReturnD1, recoverD1IfNeeded } from './support/recover';
import { labDir, signIn } from './support/session';

// The restore page on a lab filled with 200,000 registrations (the "checked by" at a
// size this machine can share; the benchmark runs the million): while the run verifies, the
// page shows the first lock window and the rows and chunks compared per table as they go; at
// the end, both lock windows, their total and every chunk compared. The bulk rows are removed
// again, so the shared lab is left as it was: d1 active, nothing fenced.

const LOCATIONS = 200_000;

const count = (s: string) => Number(s.replaceAll(',', ''));

/** Removes the bulk rows through replication from d1 (active), in batches of a few MB. */
async function removeBulk(): Promise<void> {
  for (const [table, where] of [
    ['location', "ruid LIKE 'bulk-%'"],
    ['subscriber', "username LIKE 'bulk%'"],
  ] as const)
    for (;;) {
      await adminQuery(labDir, 'd1', `DELETE FROM kamailio.${table} WHERE ${where} LIMIT 50000`);
      const [left] = await adminQuery<{ n: number }>(
        labDir,
        'd1',
        `SELECT COUNT(*) AS n FROM kamailio.${table} WHERE ${where}`,
      );
      if (Number(left?.n) === 0) break;
    }
  await settled(labDir, 'd1', 'd2');
}

test.describe('restore progress at 200,000 registrations', () => {
  test.afterEach(async ({ page }) => {
    await recoverD1IfNeeded({ labDir, request: page.request });
    await removeBulk();
  });

  test('the page shows both lock windows and the rows and chunks compared, live and after the run', async ({
    page,
  }, testInfo) => {
    test.setTimeout(300_000);
    await fillLarge({ dir: labDir, locations: LOCATIONS, subscribers: 20_000 });
    await settled(labDir, 'd1', 'd2');
    await signIn(page, 'admin');
    await crashAndReturnD1({ page, labDir });

    await page.getByRole('link', { name: 'Restore' }).click();
    await page
      .getByRole('region', { name: /^d1: fenced/ })
      .getByRole('button', { name: 'Restore d1' })
      .click();
    const run = page.getByRole('region', { name: /Restore of d1 from d2/ });
    const progress = run.getByTestId('verify-progress');
    const location = progress.getByTestId('verify-location');

    // Live: location is being compared, outside the lock; the second window is still to come.
    await expect(location).toContainText('comparing…', { timeout: 120_000 });
    await expect(progress.getByTestId('lock-window-1')).toHaveText(/^\d+ ms$/);
    await expect(progress.getByTestId('lock-window-2')).toHaveText('after the verification');
    await expect(location).toContainText(/[\d,]+ \/ [\d,]+/);
    await page.screenshot({ path: testInfo.outputPath('restore-200k-verifying.png'), fullPage: true });

    await expect(run.getByTestId('run-status')).toHaveText('succeeded', { timeout: 180_000 });
    // After the run: both windows measured, and their total is the run's lock window.
    const ms = async (id: string) =>
      Number((await progress.getByTestId(id).textContent())?.match(/^(\d+) ms$/)?.[1] ?? Number.NaN);
    const [w1, w2, total] = [
      await ms('lock-window-1'),
      await ms('lock-window-2'),
      await ms('lock-window-total'),
    ];
    expect(w1 + w2).toBe(total);
    await expect(run.getByTestId('lock-window')).toHaveText(`${total} ms`);
    // Every row and chunk of location compared, and found equal.
    const cells = await location.getByRole('cell').allTextContents();
    const [rowsDone, rows] = (cells[1]?.match(/([\d,]+) \/ ([\d,]+)/)?.slice(1) ?? []).map(count);
    const [chunksDone, chunks] = (cells[2]?.match(/([\d,]+) \/ ([\d,]+)/)?.slice(1) ?? []).map(count);
    expect(rows).toBeGreaterThanOrEqual(LOCATIONS);
    expect(rowsDone).toBe(rows);
    expect(chunks).toBeGreaterThan(40);
    expect(chunksDone).toBe(chunks);
    await expect(location.getByRole('cell').last()).toHaveText('✓ equal');
    await expect(progress.getByTestId('verify-subscriber').getByRole('cell').last()).toHaveText('✓ equal');
    await page.screenshot({ path: testInfo.outputPath('restore-200k-done.png'), fullPage: true });
  });
});
