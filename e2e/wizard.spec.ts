import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { adminQuery, down, freePort, type LabState, register, seedUsers, up } from '../lab/index.ts';
import { type Credentials, createAccount } from './support/accounts';
import { startConsole, stopConsole } from './support/console';

// The acceptance run: from `lab up --fresh --nodes 2` (no replication, data on d1
// only, GTID domains and auto_increment at defaults) a new admin drives the wizard in the
// browser to two-way replication, with a console restart in the middle; then real traffic
// proves it. This spec has its own lab and console: it must start from a fresh lab.

test.describe.configure({ mode: 'serial', timeout: 150_000 });

let dir: string;
let state: LabState;
let consoleProc: ChildProcess | undefined;
let port: number;
let admin: Credentials;
let base: string;

async function boot() {
  consoleProc = await startConsole({ configPath: state.configPath, port, logFile: join(dir, 'console.log') });
}

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dir = mkdtempSync(join(tmpdir(), 'wz-'));
  state = await up({ dir, nodes: 2, fresh: true });
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await boot();
  admin = createAccount({ configPath: state.configPath, user: 'wizard-admin', role: 'admin' });
});

test.afterAll(async () => {
  if (consoleProc) stopConsole(consoleProc);
  if (dir) {
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

const q = (node: string, sql: string, params?: unknown[]) => adminQuery(dir, node, sql, params);

async function signIn(page: Page) {
  await page.goto(`${base}/login`);
  await page.getByLabel('User name').fill(admin.user);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

const stepButton = (page: Page, n: number, title: string) =>
  page
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('button', { name: new RegExp(`^${n}\\. ${title}`) });

async function runStep(page: Page, n: number, title: string, button: string | RegExp) {
  await stepButton(page, n, title).click();
  await expect(stepButton(page, n, title)).toHaveAttribute('aria-current', 'step', { timeout: 20_000 });
  await page.getByRole('button', { name: button }).click();
  await expect(stepButton(page, n, title)).toContainText('done', { timeout: 60_000 });
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test('a new admin sets up two-way replication from a fresh lab, across a console restart', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${base}/replication`);
  await expect(page.getByRole('checkbox', { name: /d1/ })).toBeChecked();
  await page.getByRole('button', { name: 'Connect and start' }).click();
  await expect(stepButton(page, 1, 'Nodes')).toContainText('done', { timeout: 20_000 });

  // A fresh lab fails preflight: GTID domains and auto_increment are at their defaults.
  await expect(stepButton(page, 2, 'Preflight')).toHaveAttribute('aria-current', 'step', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Run preflight' }).click();
  await expect(stepButton(page, 2, 'Preflight')).toContainText('failed', { timeout: 20_000 });
  const checks = page.getByRole('region', { name: 'Checks on d2' });
  await expect(checks).toContainText('Distinct gtid_domain_id');
  await expect(page.getByRole('button', { name: /Apply all \d+ dynamic fixes/ })).toBeVisible();
  await shot(page, 'wizard-preflight');
  await page.getByRole('button', { name: /Apply all \d+ dynamic fixes/ }).click();
  await expect(stepButton(page, 2, 'Preflight')).toContainText('done', { timeout: 20_000 });

  await expect(page.getByText("IDENTIFIED BY '********'").first()).toBeVisible({ timeout: 20_000 });
  await runStep(page, 3, 'Replication user', 'Run replication user');

  // The console restarts between two steps: the wizard resumes at the same place.
  stopConsole(consoleProc!);
  await expect
    .poll(() => consoleProc!.exitCode !== null || consoleProc!.signalCode !== null, { timeout: 20_000 })
    .toBe(true);
  await boot();
  await page.goto(`${base}/replication`);
  await expect(stepButton(page, 4, 'Initial data')).toHaveAttribute('aria-current', 'step');
  await expect(stepButton(page, 3, 'Replication user')).toContainText('done');

  await expect(page.getByRole('radio', { name: /Copy over SQL/ })).toBeChecked();
  await runStep(page, 4, 'Initial data', 'Run initial data');
  await stepButton(page, 4, 'Initial data').click();
  await expect(page.getByRole('table', { name: 'Copies' })).toContainText('d2');
  await expect(page.getByRole('progressbar', { name: /Initial data/ })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await runStep(page, 5, 'Both directions', 'Run both directions');
  await expect(page.getByRole('table', { name: 'Replication links' })).toContainText('d1');
  await runStep(page, 6, 'Verify end to end', 'Run verify end to end');
  await expect(page.getByRole('table', { name: 'Probe delays' })).toContainText(' ms');
  await runStep(page, 7, 'Harden and finish', 'Run harden and finish');
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText(
    'Replication is set up and verified',
  );
  await shot(page, 'wizard-summary');
});

test('after the wizard: writes on either node reach the other, concurrently too, and a REGISTER at p1 is on d2', async () => {
  await q(
    'd1',
    "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('alice-d1', 'lab.sipha.test', '', 'a', 'b')",
  );
  await q(
    'd2',
    "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ('bob-d2', 'lab.sipha.test', '', 'a', 'b')",
  );
  await expect
    .poll(
      async () =>
        (await q('d2', "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'alice-d1'"))[0].n,
    )
    .toBe(1);
  await expect
    .poll(
      async () =>
        (await q('d1', "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'bob-d2'"))[0].n,
    )
    .toBe(1);

  // Both nodes insert at the same time with AUTO_INCREMENT ids: no collision (error 1062).
  const burst = (node: string) =>
    Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        q(
          node,
          "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES (?, 'lab.sipha.test', '', 'a', 'b')",
          [`burst-${node}-${i}`],
        ),
      ),
    );
  await Promise.all([burst('d1'), burst('d2')]);
  for (const node of ['d1', 'd2']) {
    await expect
      .poll(
        async () =>
          (await q(node, "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'burst-%'"))[0].n,
      )
      .toBe(80);
    const [s] = await q(node, 'SHOW SLAVE STATUS');
    expect([s.Slave_IO_Running, s.Slave_SQL_Running, s.Last_IO_Errno, s.Last_SQL_Errno]).toEqual([
      'Yes',
      'Yes',
      0,
      0,
    ]);
  }
  const [a] = await q('d1', 'CHECKSUM TABLE kamailio.subscriber');
  const [b] = await q('d2', 'CHECKSUM TABLE kamailio.subscriber');
  expect(a.Checksum).toBe(b.Checksum);

  const user = seedUsers(1)[0]!;
  const r = await register(dir, { site: 'p1', users: [user] });
  expect(r.ok).toBe(1);
  await expect
    .poll(
      async () =>
        (await q('d2', 'SELECT COUNT(*) AS n FROM kamailio.location WHERE username = ?', [user.username]))[0]
          .n,
    )
    .toBe(1);
});
