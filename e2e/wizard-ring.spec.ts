import { expect, test } from '@playwright/test';
import { freshLabWithConsole, runStep, shot, signIn, stepButton, type WizardLab } from './wizard-support';

// `lab up --fresh --nodes 3`: first a run where d3's address is wrong (the ring cannot close:
// the IO thread error is shown with its meaning, nothing further is changed), then tear down
// and a new run that sets up the ring d1 → d2 → d3 → d1.

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let lab: WizardLab;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  lab = await freshLabWithConsole({ nodes: 3 });
});

test.afterAll(async () => {
  await lab?.stop();
});

test('an unreachable peer is explained; after tear-down the ring of three is set up', async ({ page }) => {
  await signIn(page, lab);
  await page.goto(`${lab.base}/replication`);
  const d3 = lab.state.nodes[2]!;
  await page.getByLabel('Address replicas use').nth(2).fill(`${d3.host}:1`);
  await page.getByRole('button', { name: 'Connect and start' }).click();
  await expect(stepButton(page, 1, 'Nodes')).toContainText('done', { timeout: 20_000 });
  await runStep(page, 2, 'Preflight', 'failed');
  await page.getByRole('button', { name: /Apply all \d+ dynamic fixes/ }).click();
  await expect(stepButton(page, 2, 'Preflight')).toContainText('done', { timeout: 20_000 });
  await runStep(page, 3, 'Replication user');
  await runStep(page, 4, 'Initial data');
  await runStep(page, 5, 'Both directions', 'failed');
  await expect(page.getByText(/d1 could not replicate from d3: error 2003/)).toBeVisible();
  await expect(page.getByText('Cannot reach d3')).toBeVisible();
  await shot(page, 'wizard-unreachable');
  expect(await lab.q('d1', 'SHOW SLAVE STATUS').then((r) => r[0]?.Slave_IO_Running)).toBe('No');

  await page.getByText('Tear down replication…').click();
  await page.getByLabel(/I understand replication stops/).check();
  await page.getByRole('button', { name: 'Tear down' }).click();
  await expect(page.getByText(/Replication stopped and reset on every node/)).toBeVisible();
  for (const n of ['d1', 'd2', 'd3']) expect(await lab.q(n, 'SHOW SLAVE STATUS')).toEqual([]);

  await page.getByRole('button', { name: 'Start a new run' }).click();
  await page.getByRole('button', { name: 'Connect and start' }).click();
  await expect(stepButton(page, 1, 'Nodes')).toContainText('done', { timeout: 20_000 });
  await runStep(page, 2, 'Preflight');
  await runStep(page, 3, 'Replication user');
  await runStep(page, 4, 'Initial data');
  await runStep(page, 5, 'Both directions');
  await expect(page.getByRole('table', { name: 'Replication links' })).toContainText('d3');
  await runStep(page, 6, 'Verify end to end');
  await expect(page.getByRole('table', { name: 'Probe delays' }).getByRole('row')).toHaveCount(7);
  await runStep(page, 7, 'Harden and finish');
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('ring');
  await shot(page, 'wizard-ring-summary');

  for (const n of ['d1', 'd2', 'd3']) {
    await lab.q(
      n,
      "INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES (?, 'lab.sipha.test', '', 'a', 'b')",
      [`ring-${n}`],
    );
  }
  for (const n of ['d1', 'd2', 'd3']) {
    await expect
      .poll(
        async () =>
          (await lab.q(n, "SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE 'ring-%'"))[0]!
            .n,
      )
      .toBe(3);
  }
});
