import { expect, test } from '@playwright/test';
import { signIn } from './support/session';

// The shards page on the shared e2e lab, which is one cluster (d1, d2 with p1, p2): it names the
// cluster and says there is nothing to split, with no planner; only an admin may open it.

test('one cluster: the page shows it with its nodes and offers no plan or move', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Shards' }).click();
  await expect(page.getByRole('heading', { name: 'Clusters and the shard map' })).toBeVisible();
  await expect(page.getByText('One cluster is configured, so every user belongs to it')).toBeVisible();
  const rows = page.getByRole('table', { name: 'Clusters' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  const cells = rows.nth(1).getByRole('cell');
  await expect(cells.nth(1)).toHaveText('d1, d2');
  await expect(cells.nth(2)).toHaveText('p1, p2');
  // The writer: d1, or d2 if a failover spec ran before this one.
  await expect(cells.nth(3)).toHaveText(/^d[12]\b/);
  await expect(cells.nth(4)).toHaveText(/^\d+$/);
  await expect(page.getByRole('heading', { name: /Map version/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Plan a change' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Move users' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('shards-one-cluster.png'), fullPage: true });
});

test('an operator has no Shards link and is refused the page', async ({ page }) => {
  await signIn(page, 'operator');
  await expect(page.getByRole('link', { name: 'Shards' })).toHaveCount(0);
  await page.goto('/shards');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Clusters and the shard map' })).toHaveCount(0);
});
