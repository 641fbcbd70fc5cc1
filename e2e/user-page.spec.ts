import { expect, test } from '@playwright/test';
import { register, seedUsers } from '../lab/index.ts';
import { labDir, signIn } from './support/session';

test("a user's page lists where that user is registered, live", async ({ page }) => {
  const user = seedUsers(100)[42]!;
  expect(await register(labDir, { site: 'p2', users: [user] })).toEqual({ ok: 1, failed: 0 });
  await signIn(page, 'viewer');
  await page.goto(`/users?prefix=${user.username}`);
  await page.getByRole('link', { name: user.username, exact: true }).click();
  await expect(page.getByRole('heading', { name: `${user.username}@lab.sipha.test` })).toBeVisible();
  const regs = page.getByRole('region', { name: `Registrations of ${user.username}@lab.sipha.test` });
  await expect(regs.getByRole('cell', { name: 'p2', exact: true }).first()).toBeVisible();
  await expect(regs.getByRole('button', { name: /Unregister/ })).toHaveCount(0); // a viewer
});
