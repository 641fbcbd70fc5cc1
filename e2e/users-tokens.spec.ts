import { expect, test } from '@playwright/test';
import { adminQuery } from '../lab/index.ts';
import { labDir, signIn } from './support/session';

// API tokens: created by an admin on the tokens page, shown once, usable as a bearer token with
// its role, revoked from the same page; an operator cannot open the page.

test('an admin creates a token (shown once), uses it on /api/v1, revokes it', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  const name = `e2e-tok-${Date.now().toString(36)}`;
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent()) ?? '';
  expect(token).toMatch(/^sipha_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: testInfo.outputPath('tokens.png'), fullPage: true });

  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect((await api.get('/api/v1/nodes')).status()).toBe(200);
  const write = await api.post('/api/v1/users', { data: { username: `${name}-u`, password: 'tokenpass1' } });
  expect(write.status()).toBe(403); // a viewer token cannot write
  // Stored hashed: the token itself is nowhere in the database.
  expect(
    await adminQuery(labDir, 'd1', 'SELECT id FROM kamailio.sipha_api_token WHERE token_hash = ?', [token]),
  ).toEqual([]);

  // Its use is recorded (at most once a minute), so the page can say it was used.
  await expect
    .poll(
      async () =>
        (
          await adminQuery<{ n: number }>(
            labDir,
            'd1',
            'SELECT COUNT(*) AS n FROM kamailio.sipha_api_token WHERE name = ? AND last_used_at IS NOT NULL',
            [name],
          )
        )[0]?.n,
    )
    .toBe(1);
  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0); // shown once
  await expect(page.getByRole('row', { name: new RegExp(name) })).not.toContainText('never');
  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(page.getByText(`Token ${name} revoked on d1.`)).toBeVisible();
  expect((await api.get('/api/v1/nodes')).status()).toBe(401);
  const audit = await adminQuery(
    labDir,
    'd1',
    "SELECT action, outcome FROM kamailio.sipha_audit WHERE target LIKE ? AND action LIKE 'token.%' ORDER BY id",
    [`${name}%`],
  );
  expect(audit).toEqual([
    { action: 'token.create', outcome: 'ok' },
    { action: 'token.revoke', outcome: 'ok' },
  ]);
  const refused = await adminQuery(
    labDir,
    'd1',
    "SELECT outcome FROM kamailio.sipha_audit WHERE actor = ? AND action = 'user.create'",
    [`token:${name}`],
  );
  expect(refused).toEqual([{ outcome: 'refused' }]);
  await api.dispose();
});

test('an operator cannot open the tokens or settings page', async ({ page }) => {
  await signIn(page, 'operator');
  await expect(page.getByRole('link', { name: 'API tokens' })).toHaveCount(0);
  for (const path of ['/tokens', '/settings']) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
  }
});

test('the settings page shows the user rules; the OpenAPI document is served', async ({
  page,
  request,
}, testInfo) => {
  await signIn(page, 'admin');
  await page.goto('/settings');
  await expect(page.getByText('Minimum password length')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('settings.png'), fullPage: true });
  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.components.schemas.NewUser.properties.domain.enum).toEqual(['lab.sipha.test']);
});
