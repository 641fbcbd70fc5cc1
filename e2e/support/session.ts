import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { E2E_LAB_DIR } from '../../playwright.config';
import type { Credentials } from './accounts';

export const labDir = E2E_LAB_DIR;

export function credentials(role: 'admin' | 'operator' | 'viewer'): Credentials {
  const all = JSON.parse(readFileSync(join(labDir, 'credentials.json'), 'utf8')) as Record<
    string,
    Credentials
  >;
  return all[role]!;
}

export async function signIn(page: Page, role: 'admin' | 'operator' | 'viewer' = 'admin'): Promise<void> {
  const c = credentials(role);
  await page.goto('/login');
  await page.getByLabel('User name').fill(c.user);
  await page.getByLabel('Password').fill(c.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}
