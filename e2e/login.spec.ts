import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createAccount } from './support/accounts';
import { labDir, signIn } from './support/session';

const configPath = () =>
  (JSON.parse(readFileSync(`${labDir}/state.json`, 'utf8')) as { configPath: string }).configPath;

test('wrong passwords lock the account with a back-off, and the session cookie is httpOnly', async ({
  page,
}) => {
  const account = createAccount({ configPath: configPath(), user: 'e2e-lockout', role: 'viewer' });
  await page.goto('/login');
  for (let i = 1; i <= 5; i++) {
    await page.getByLabel('User name').fill(account.user);
    await page.getByLabel('Password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The answer has arrived when React resets the (uncontrolled) password field.
    await expect(page.getByLabel('Password')).toHaveValue('');
    const expected =
      i < 5 ? 'Wrong user name or password.' : /Too many failed attempts\. Try again in \d+ s\./;
    await expect(page.getByText(expected)).toBeVisible();
  }
  // Locked: even the right password is refused until the back-off ends.
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/Too many failed attempts/)).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('sign in and out', async ({ page, context }) => {
  await signIn(page, 'operator');
  const cookie = (await context.cookies()).find((c) => c.name === 'sipha_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});
