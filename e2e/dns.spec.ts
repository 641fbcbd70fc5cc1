import { expect, test } from '@playwright/test';
import { signIn } from './support/session';

// The DNS page of the e2e lab (named with p1 priority 0, p2 priority 1): records as resolved,
// then a drain of p2 from the browser with its preview, and the restore.

test.describe('dns', () => {
  test('viewer sees the SRV records mapped to p1 and p2, and no drain form', async ({ page }) => {
    await signIn(page, 'viewer');
    await page.goto('/dns');
    const rows = page.getByRole('table', { name: 'SRV targets' }).getByRole('row');
    await expect(rows.filter({ hasText: 'p1' }).first()).toContainText('100 %');
    await expect(rows.filter({ hasText: 'p2' }).first()).toContainText('backup');
    await expect(page.getByRole('heading', { name: 'Drain or restore a SIP server' })).toHaveCount(0);
  });

  test('admin drains p2 after a preview, then restores it', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/dns');
    await page.getByRole('combobox', { name: /^SIP server/ }).selectOption('p2');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByRole('region', { name: 'Preview' })).toContainText('IN SRV 2 10');
    await page.getByRole('button', { name: 'Drain p2 now' }).click();
    await expect(page.getByText(/Drained p2: now served/)).toBeVisible();
    await page.goto('/dns?domain=lab.sipha.test&server=p2&op=restore&mode=priority');
    await expect(page.getByRole('region', { name: 'Preview' })).toContainText('IN SRV 1 10');
    await page.getByRole('button', { name: 'Restore p2 now' }).click();
    await expect(page.getByText(/Restored p2: now served/)).toBeVisible();
    await page.goto('/audit');
    await expect(page.getByText('dns.drain').first()).toBeVisible();
  });
});
