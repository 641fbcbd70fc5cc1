import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { adminQuery, register } from '../lab/index.ts';
import { labDir, signIn } from './support/session';

// The users page as an operator meets it, and the refusals a viewer must meet.
const DOMAIN = 'lab.sipha.test';
const run = Date.now().toString(36);

test.describe.configure({ mode: 'serial' });

test('add, find by prefix, change password, import with two bad lines, export, delete', async ({
  page,
}, testInfo) => {
  const name = `e2e-carol-${run}`;
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();

  // Add: the answer says where the write landed; the password is never echoed.
  await page.getByLabel('Username', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill('carolpass1');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText(`Added ${name}@${DOMAIN} on d1.`)).toBeVisible();
  await expect(page.locator('body')).not.toContainText('carolpass1');
  // Kamailio takes what the browser wrote.
  expect(await register(labDir, { site: 'p1', users: [{ username: name, password: 'carolpass1' }] })).toEqual(
    { ok: 1, failed: 0 },
  );

  // Adding it again is a field error, not a crash.
  await page.getByLabel('Username', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill('carolpass1');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.locator('#add-username-error')).toHaveText('already exists');

  // Find by prefix.
  await page.getByLabel('Username starts with').fill(`e2e-carol-${run}`.slice(0, 12));
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/prefix=e2e-carol/);
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  await expect(page.getByTestId('user-counts')).toContainText('matching of');

  // Change the password: the old one stops working, the new one works.
  await page.getByRole('button', { name: `Change password of ${name}@${DOMAIN}` }).click();
  await page.getByLabel(`New password for ${name}@${DOMAIN}`).fill('carolpass2');
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByText(`Changed the password of ${name}@${DOMAIN} on d1.`)).toBeVisible();
  expect(await register(labDir, { site: 'p1', users: [{ username: name, password: 'carolpass2' }] })).toEqual(
    { ok: 1, failed: 0 },
  );
  expect(await register(labDir, { site: 'p1', users: [{ username: name, password: 'carolpass1' }] })).toEqual(
    { ok: 0, failed: 1 },
  );

  // Import: two bad lines, each reported by its line number.
  const csv = [
    'username,password',
    `e2e-imp1-${run},importpass1`,
    `bad user-${run},importpass2`,
    `e2e-imp2-${run},importpass3`,
    `e2e-imp3-${run},short`,
    `e2e-imp4-${run},importpass4,${DOMAIN}`,
    '',
  ].join('\n');
  const file = { name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  const invalid = page.getByRole('list', { name: 'Invalid lines' });
  await expect(invalid.getByRole('listitem')).toHaveCount(2);
  await expect(invalid).toContainText('Line 3: username: Only letters');
  await expect(invalid).toContainText('Line 5: password: At least 8 characters');
  await expect(
    page.getByText(/Import finished on d1: 3 added, 0 updated, 0 unchanged, 2 invalid/),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('users-import.png'), fullPage: true });

  // The same file again changes nothing, and says so.
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText(/Nothing changed: every valid line is already there/)).toBeVisible();
  await expect(
    page.getByText(/Import finished on d1: 0 added, 0 updated, 3 unchanged, 2 invalid/),
  ).toBeVisible();
  const rows = await adminQuery(
    labDir,
    'd1',
    'SELECT username FROM kamailio.subscriber WHERE username LIKE ? ORDER BY username',
    [`e2e-imp%-${run}`],
  );
  expect(rows.map((r) => r.username)).toEqual([1, 2, 4].map((i) => `e2e-imp${i}-${run}`));

  // Export (streamed CSV) holds what the filter shows.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const exported = readFileSync((await download.path())!, 'utf8');
  expect(exported.split('\n')[0]).toBe('username,domain');
  expect(exported).toContain(`${name},${DOMAIN}\n`);

  // Delete, after a confirmation; Kamailio refuses the user again.
  await page.getByRole('button', { name: `Delete ${name}@${DOMAIN}` }).click();
  await page.getByRole('button', { name: `Yes, delete ${name}` }).click();
  await expect(
    page.getByText(new RegExp(`Deleted ${name}@${DOMAIN} and [12] registrations? on d1`)),
  ).toBeVisible();
  expect(await register(labDir, { site: 'p1', users: [{ username: name, password: 'carolpass2' }] })).toEqual(
    { ok: 0, failed: 1 },
  );
  await page.screenshot({ path: testInfo.outputPath('users-after-delete.png'), fullPage: true });
});

test('a viewer sees no mutating control; forged action and API POSTs from its session are refused and audited', async ({
  browser,
  baseURL,
}) => {
  // Capture a real add-user server action request from an admin session (aborted: nothing is created).
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, 'admin');
  await adminPage.goto('/users');
  const forged = `e2e-forged-${run}`;
  let captured: { headers: Record<string, string>; body: Buffer } | undefined;
  await adminPage.route('**/users', async (route) => {
    const req = route.request();
    if (req.method() === 'POST' && req.headers()['next-action']) {
      captured = { headers: await req.allHeaders(), body: req.postDataBuffer() ?? Buffer.alloc(0) };
      return route.abort();
    }
    return route.continue();
  });
  await adminPage.getByLabel('Username', { exact: true }).fill(forged);
  await adminPage.getByLabel('Password', { exact: true }).fill('forgedpass1');
  await adminPage.getByRole('button', { name: 'Add user' }).click();
  await expect.poll(() => captured !== undefined).toBe(true);
  await admin.close();

  const viewer = await browser.newContext();
  const page = await viewer.newPage();
  await signIn(page, 'viewer');
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add user' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Delete|Change password of) / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible(); // reading is allowed

  // The admin's action request, replayed with the viewer's cookie.
  const { cookie: _adminCookie, ...headers } = captured!.headers;
  const action = await page.request.post('/users', {
    headers: { ...headers, origin: new URL(baseURL!).origin },
    data: captured!.body,
  });
  expect(action.status()).toBe(403);

  const api = await page.request.post('/api/v1/users', {
    data: { username: forged, password: 'forgedpass1' },
  });
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe('forbidden:role');

  expect(
    await adminQuery(labDir, 'd1', 'SELECT id FROM kamailio.subscriber WHERE username = ?', [forged]),
  ).toEqual([]);
  const refused = await adminQuery(
    labDir,
    'd1',
    "SELECT action FROM kamailio.sipha_audit WHERE actor = 'e2e-viewer' AND action = 'user.create' AND outcome = 'refused' AND at > NOW() - INTERVAL 5 MINUTE",
  );
  expect(refused.length).toBeGreaterThanOrEqual(2);
  await viewer.close();
});
