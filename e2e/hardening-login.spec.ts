import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { adminQuery } from '../lab/index.ts';
import { createAccount } from './support/accounts';
import { labDir } from './support/session';

// Issue 17, login: wrong guesses from elsewhere cannot lock the owner out, and an unknown name
// is answered exactly like a real one. The lab trusts no proxy, so every stranger is the same
// source ("direct"); the owner's browser is known by the device cookie of an earlier sign-in.

async function attempt(page: Page, user: string, password: string): Promise<string> {
  await page.goto('/login');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const result = page.locator('p[aria-live="polite"]').filter({ hasText: /\S/ });
  const overview = page.getByRole('heading', { name: 'Overview' });
  await expect(result.or(overview)).toBeVisible();
  return (await overview.isVisible()) ? 'signed in' : ((await result.textContent()) ?? '');
}

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test('an attacker cannot lock the owner out, and an unknown name answers like a real one', async ({
  browser,
}) => {
  test.setTimeout(240_000); // fourteen sign-in attempts through the form
  const owner = createAccount({
    configPath: `${labDir}/sipha.config.json`,
    user: 'e2e-owner17',
    role: 'viewer',
  });
  const ownerPage = await freshPage(browser);
  expect(await attempt(ownerPage, owner.user, owner.password)).toBe('signed in');

  const attacker = await freshPage(browser);
  const stranger = await freshPage(browser);
  const real: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < 6; i++) {
    real.push(await attempt(attacker, owner.user, `wrong-${i}`));
    unknown.push(await attempt(stranger, 'e2e-nobody17', `wrong-${i}`));
  }
  const shape = (m: string) => m.replace(/\d+ s/, 'N s');
  expect(real.map(shape)).toEqual(unknown.map(shape));
  expect(real.at(-1)).toMatch(/Too many failed attempts/);
  // The attacker's source stays throttled even with the right password ...
  expect(await attempt(attacker, owner.user, owner.password)).toMatch(/Too many failed attempts/);
  // ... while the owner's own browser signs in.
  const ctx = ownerPage.context();
  const device = (await ctx.cookies()).filter((c) => c.name === 'sipha_device');
  expect(device).toHaveLength(1);
  await ctx.clearCookies();
  await ctx.addCookies(device); // signed out, the browser still known
  expect(await attempt(ownerPage, owner.user, owner.password)).toBe('signed in');

  const rows = await adminQuery<{ actor: string; target: string }>(
    labDir,
    'd1',
    "SELECT actor, target FROM kamailio.sipha_audit WHERE action = 'login' AND outcome = 'refused' AND target LIKE 'attempted e2e-%17'",
  );
  expect(rows.length).toBeGreaterThanOrEqual(12);
  expect(rows.every((r) => r.actor === 'anonymous')).toBe(true);
});
