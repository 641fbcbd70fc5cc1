import { expect, test } from '@playwright/test';
import { adminQuery, readState, register, seedUsers } from '../lab/index.ts';
import { labDir, signIn } from './support/session';

test.describe('registrations', () => {
  test('lists users registered through p1, finds one by prefix, unregisters it on both nodes', async ({
    page,
  }, testInfo) => {
    const domain = readState(labDir).domain;
    const r = await register(labDir, { site: 'p1', users: seedUsers(50) });
    expect(r.failed).toBe(0);
    await signIn(page, 'operator');
    await page.getByRole('link', { name: 'Registrations' }).click();
    await expect(page.getByRole('heading', { name: 'Registrations' })).toBeVisible();
    const first = page.locator(`tr[data-aor="user1000@${domain}"]`);
    await expect(first).toBeVisible();
    await expect(first).toContainText('p1');
    // Counts come from the background sampler (every 5 s).
    await expect
      .poll(
        async () =>
          Number(
            /(\d+) registered/.exec((await page.locator('[data-server="p1"]').textContent()) ?? '')?.[1] ?? 0,
          ),
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(50);
    await page.screenshot({ path: testInfo.outputPath('registrations.png'), fullPage: true });
    await testInfo.attach('registrations', {
      path: testInfo.outputPath('registrations.png'),
      contentType: 'image/png',
    });

    await page.getByLabel('Search by address of record (prefix)').fill('user1042');
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-aor', `user1042@${domain}`);
    await page.screenshot({ path: testInfo.outputPath('registrations-search.png'), fullPage: true });
    await testInfo.attach('registrations-search', {
      path: testInfo.outputPath('registrations-search.png'),
      contentType: 'image/png',
    });

    await page.getByRole('button', { name: `Unregister user1042@${domain}` }).click();
    await expect(page.getByText(`Unregistered a contact of user1042@${domain} on d1.`)).toBeVisible();
    await expect(page.getByText('No registrations match.')).toBeVisible();
    for (const node of ['d1', 'd2']) {
      await expect
        .poll(async () =>
          Number(
            (
              await adminQuery(
                labDir,
                node,
                "SELECT COUNT(*) AS n FROM kamailio.location WHERE username = 'user1042'",
              )
            )[0].n,
          ),
        )
        .toBe(0);
    }
  });

  test('a viewer sees registrations but no unregister button', async ({ page }) => {
    await signIn(page, 'viewer');
    await page.goto('/registrations');
    await expect(page.locator('tbody tr').first()).toBeVisible();
    await expect(page.getByRole('button', { name: /^Unregister/ })).toHaveCount(0);
  });
});
