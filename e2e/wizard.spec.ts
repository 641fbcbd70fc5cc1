import { expect, test } from '@playwright/test';
import { register, seedUsers } from '../lab/index.ts';
import { freshLabWithConsole, runStep, shot, signIn, stepButton, type WizardLab } from './wizard-support';

// The acceptance run: from `lab up --fresh --nodes 2` (no replication, data on d1
// only, GTID domains and auto_increment at defaults) a new admin drives the wizard in the
// browser to two-way replication, with a console restart in the middle; then real traffic
// proves it. This spec has its own lab and console: it must start from a fresh lab.

test.describe.configure({ mode: 'serial', timeout: 150_000 });

let lab: WizardLab;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  lab = await freshLabWithConsole({ nodes: 2 });
});

test.afterAll(async () => {
  await lab?.stop();
});

test('a new admin sets up two-way replication from a fresh lab, across a console restart', async ({
  page,
}) => {
  await signIn(page, lab);
  await page.goto(`${lab.base}/replication`);
  await expect(page.getByRole('checkbox', { name: /d1/ })).toBeChecked();
  await page.getByRole('button', { name: 'Connect and start' }).click();
  await expect(stepButton(page, 1, 'Nodes')).toContainText('done', { timeout: 20_000 });
  // The run resumes at the first step not done.
  await expect(stepButton(page, 2, 'Preflight')).toHaveAttribute('aria-current', 'step', { timeout: 20_000 });

  // A fresh lab fails preflight: GTID domains and auto_increment are at their defaults.
  await runStep(page, 2, 'Preflight', 'failed');
  await expect(page.getByRole('region', { name: 'Checks on d2' })).toContainText('Distinct gtid_domain_id');
  await shot(page, 'wizard-preflight');
  await page.getByRole('button', { name: /Apply all \d+ dynamic fixes/ }).click();
  await expect(stepButton(page, 2, 'Preflight')).toContainText('done', { timeout: 20_000 });

  await stepButton(page, 3, 'Replication user').click();
  await expect(page.getByText("IDENTIFIED BY '********'").first()).toBeVisible({ timeout: 20_000 });
  await runStep(page, 3, 'Replication user');

  // The console restarts between two steps: the wizard resumes at the same place.
  await lab.restartConsole();
  await page.goto(`${lab.base}/replication`);
  await expect(stepButton(page, 4, 'Initial data')).toHaveAttribute('aria-current', 'step');
  await expect(stepButton(page, 3, 'Replication user')).toContainText('done');

  await expect(page.getByRole('radio', { name: /Copy over SQL/ })).toBeChecked();
  await runStep(page, 4, 'Initial data');
  await expect(page.getByRole('table', { name: 'Copies' })).toContainText('d2');
  await expect(page.getByRole('progressbar', { name: /Initial data/ })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await runStep(page, 5, 'Both directions');
  await expect(page.getByRole('table', { name: 'Replication links' })).toContainText('d1');
  await runStep(page, 6, 'Verify end to end');
  await expect(page.getByRole('table', { name: 'Probe delays' })).toContainText(' ms');
  await runStep(page, 7, 'Harden and finish');
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText(
    'Replication is set up and verified',
  );
  await shot(page, 'wizard-summary');
});

test('after the wizard: writes on either node reach the other, concurrently too, and a REGISTER at p1 is on d2', async () => {
  const { q } = lab;
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
        (await q('d2', "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'alice-d1'"))[0]!.n,
    )
    .toBe(1);
  await expect
    .poll(
      async () =>
        (await q('d1', "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username = 'bob-d2'"))[0]!.n,
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
          (await q(node, "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'burst-%'"))[0]!
            .n,
      )
      .toBe(80);
    const [s] = await q(node, 'SHOW SLAVE STATUS');
    expect([s!.Slave_IO_Running, s!.Slave_SQL_Running, s!.Last_IO_Errno, s!.Last_SQL_Errno]).toEqual([
      'Yes',
      'Yes',
      0,
      0,
    ]);
  }
  const [a] = await q('d1', 'CHECKSUM TABLE kamailio.subscriber');
  const [b] = await q('d2', 'CHECKSUM TABLE kamailio.subscriber');
  expect(a!.Checksum).toBe(b!.Checksum);

  const user = seedUsers(1)[0]!;
  const r = await register(lab.dir, { site: 'p1', users: [user] });
  expect(r.ok).toBe(1);
  await expect
    .poll(
      async () =>
        (await q('d2', 'SELECT COUNT(*) AS n FROM kamailio.location WHERE username = ?', [user.username]))[0]!
          .n,
    )
    .toBe(1);
});
