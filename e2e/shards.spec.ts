import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { adminQuery, down, freePort, type LabState, load, up } from '../lab/index.ts';
import { type Credentials, createAccount } from './support/accounts';
import { startConsole, stopConsole } from './support/console';
import { signIn } from './support/session';

// The shards page on the shared e2e lab, which is one cluster (d1, d2 with p1, p2): it names the
// cluster and says there is nothing to split, with no planner; only an admin may open it.
// Below, a two-cluster lab of its own.

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

// Two clusters behind a first stage, with a console of their own (as `npm run lab -- up
// --clusters 2` gives a new user): a range split in the browser moves its users while phones
// register and call through the first stage, with no failure; then a move whose console is
// killed mid-way is shown interrupted, with Resume and Roll back, and rolled back from the page.
test.describe('two clusters', () => {
  let dir = '';
  let state: LabState;
  let port = 0;
  let proc: ChildProcess | undefined;
  let admin: Credentials;
  const boot = async () => {
    proc = await startConsole({ configPath: state.configPath, port, logFile: join(dir, 'console.log') });
  };

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    dir = mkdtempSync(join(tmpdir(), 'e2e-shards-'));
    state = await up({ dir, clusters: 2 });
    port = await freePort();
    admin = createAccount({ configPath: state.configPath, user: 'shards-admin', role: 'admin' });
    await boot();
  });

  test.afterAll(async () => {
    if (proc) stopConsole(proc);
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (page: Page) => {
    await page.goto(`http://127.0.0.1:${port}/login`);
    await page.getByLabel('User name').fill(admin.user);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.goto(`http://127.0.0.1:${port}/shards`);
    await expect(page.getByRole('heading', { name: 'Clusters and the shard map' })).toBeVisible();
  };
  const ranges = (page: Page) => page.getByRole('textbox', { name: 'Ranges' });
  const move = (page: Page) => page.getByRole('region', { name: /^Move [0-9a-f]{8}$/ });

  test('a range split moves its users while phones register and call through the first stage', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    await open(page);
    await ranges(page).fill('* c1\nuser1050 c2\nuser1075 c1');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(
      page.getByText(/^25 users and \d+ live registrations would move \(c2 → c1: 25 users/),
    ).toBeVisible();
    // REGISTERs for everyone and a call a second between two of the users that move.
    const running = load(dir, { site: 'f1', rate: 30, users: 100, duration: 30, calls: 1 });
    await new Promise((r) => setTimeout(r, 3000));
    await page.getByRole('button', { name: 'Move users' }).click();
    await expect(move(page).getByTestId('move-status')).toHaveText(/^Now moving: \w+\.$/);
    await page.screenshot({ path: testInfo.outputPath('shards-moving.png'), fullPage: true });
    await expect(move(page).getByTestId('move-status')).toHaveText(
      'Done: every user is on its new cluster.',
      {
        timeout: 60_000,
      },
    );
    await expect(
      move(page)
        .getByRole('list', { name: /^Phases of Move/ })
        .getByText('done'),
    ).toHaveCount(7);
    await expect(
      page
        .getByRole('heading', { name: /^Map version \d+$/ })
        .locator('xpath=..')
        .locator('pre'),
    ).toHaveText('* c1\nuser1050 c2\nuser1075 c1');
    await page.screenshot({ path: testInfo.outputPath('shards-moved.png'), fullPage: true });
    const r = await running;
    expect(r).toMatchObject({ failed: 0, ok: r.sent });
    expect(r.calls).toMatchObject({ failed: 0, answered: r.calls?.attempted });
    expect(r.calls?.attempted).toBeGreaterThan(0);
  });

  test('a move whose console was killed is shown interrupted and is rolled back from the page', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    await open(page);
    await ranges(page).fill('* c1\nuser1075 c1');
    await page.getByRole('button', { name: 'Move users' }).click();
    const phases = move(page).getByRole('list', { name: /^Phases of Move/ });
    await expect(phases.getByRole('listitem').filter({ hasText: 'catchup' })).toContainText('running', {
      timeout: 30_000,
    });
    // The console dies mid-move (after the first stage was switched), and comes back.
    process.kill(-proc!.pid!, 'SIGKILL');
    await expect.poll(() => proc!.exitCode !== null || proc!.signalCode !== null).toBe(true);
    await boot();
    await page.reload();
    // Until 20 s after the killed console's last heartbeat, the move reads as running in another
    // console process (lib/jobs/interrupted.ts); the page polls each second meanwhile.
    await expect(move(page).getByTestId('move-status')).toHaveText(
      'Interrupted: the console stopped while moving (at catchup).',
      { timeout: 40_000 },
    );
    await expect(move(page).getByRole('button', { name: 'Resume' })).toBeVisible();
    await expect(move(page).getByText('Roll back does, in order:')).toBeVisible();
    await expect(
      move(page).getByText('copy to c2 the registrations made at c1 since the switch'),
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('shards-interrupted.png'), fullPage: true });
    await move(page).getByRole('button', { name: 'Roll back' }).click();
    await expect(move(page).getByTestId('move-status')).toHaveText(
      'Rolled back: the users are on their old cluster again, as before the move.',
      { timeout: 60_000 },
    );
    await expect(
      move(page)
        .getByRole('list', { name: /^Rollback steps of Move/ })
        .getByText('done'),
    ).toHaveCount(4);
    await page.screenshot({ path: testInfo.outputPath('shards-rolled-back.png'), fullPage: true });
    const [n] = await adminQuery(
      dir,
      'd3',
      "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username BETWEEN 'user1050' AND 'user1074'",
    );
    expect(Number(n.n)).toBe(25);
  });
});
