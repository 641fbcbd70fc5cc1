import { expect, test } from '@playwright/test';
import { adminQuery, signal } from '../lab/index.ts';
import { recoverD1 } from './support/recover';
import { labDir, signIn } from './support/session';

test.describe('failover', () => {
  test.afterEach(async ({ page }) => {
    await recoverD1({ labDir, request: page.request });
  });

  test('killing d1 shows the failover banner within 5 s and a user added next lands on d2', async ({
    page,
  }, testInfo) => {
    await signIn(page, 'admin');
    await expect(page.getByRole('article', { name: 'database node d1' })).toContainText('active');
    await signal(labDir, 'd1', 'kill');
    const banner = page.getByRole('alert').filter({ hasText: 'Writing to' });
    await expect(banner).toContainText(/Writing to d2: d1 is down since \d\d:\d\d:\d\d/, { timeout: 5000 });
    await expect(page.getByRole('article', { name: 'database node d2' })).toContainText('active');
    await page.screenshot({ path: testInfo.outputPath('failover-banner.png'), fullPage: true });

    // A user action afterwards says where it was saved, and warns that it is not d1.
    const name = `fo${Date.now().toString(36)}`;
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Username', { exact: true }).fill(name);
    await page.getByLabel('Password', { exact: true }).fill('failover-pass-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText(`Added ${name}@lab.sipha.test on d2.`)).toBeVisible();
    await expect(page.getByText(/Written to d2, not the first node d1/)).toBeVisible();
    const rows = await adminQuery<{ n: number }>(
      labDir,
      'd2',
      'SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = ?',
      [name],
    );
    expect(Number(rows[0]!.n)).toBe(1);
    await testInfo.attach('failover-banner', {
      path: testInfo.outputPath('failover-banner.png'),
      contentType: 'image/png',
    });
  });
});
