import { signal } from '../lab/index.ts';
import { expect, labDir, signIn, test } from './support/fixtures';
import { recoverD1 } from './support/recover';

test.describe('failover', () => {
  test.afterEach(async ({ page }) => {
    await recoverD1({ labDir, request: page.request });
  });

  test('killing d1 shows the failover banner within 5 s and d1 fenced after it returns', async ({
    page,
  }, testInfo) => {
    await signIn(page, 'admin');
    await expect(page.getByRole('article', { name: 'database node d1' })).toContainText('active');
    await signal(labDir, 'd1', 'kill');
    const banner = page.getByRole('alert').filter({ hasText: 'Writing to' });
    await expect(banner).toContainText(/Writing to d2: d1 is down since \d\d:\d\d:\d\d/, { timeout: 5000 });
    await expect(page.getByRole('article', { name: 'database node d2' })).toContainText('active');
    await page.screenshot({ path: testInfo.outputPath('failover-banner.png'), fullPage: true });
    await testInfo.attach('failover-banner', {
      path: testInfo.outputPath('failover-banner.png'),
      contentType: 'image/png',
    });
  });
});
