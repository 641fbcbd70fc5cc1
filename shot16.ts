// Temporary (not committed): screenshots of the restore page for issue 16.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { createAccount } from './e2e/support/accounts.ts';
import { adminQuery, down, up } from './lab/index.ts';
import { openList } from './test/helpers/console-list.ts';
import { failD1 } from './test/helpers/restore.ts';
import { fillLarge, settled } from './test/helpers/restore-large.ts';

const dir = '/tmp/wt16-shot';
const port = 3216;
await down(dir).catch(() => undefined);
const state = await up({ dir, nodes: 2 });
await fillLarge({ dir, locations: 60_000, subscribers: 5_000 });
await settled(dir, 'd1', 'd2');
const list = await openList(state.configPath, { probeIntervalMs: 250 });
await failD1({ dir, list, writes: 3, prefix: 'shot-' });
await adminQuery(
  dir,
  'd1',
  "SET sql_log_bin = 0; UPDATE kamailio.location SET user_agent = 'planted' WHERE id = 30000; SET sql_log_bin = 1",
);
await adminQuery(
  dir,
  'd1',
  `SET sql_log_bin = 0; INSERT INTO kamailio.location (ruid, username, domain, contact, expires, callid, cseq, last_modified, user_agent)
  VALUES ('part-t1', 'user1001', 'lab.sipha.test', 'sip:user1001@10.0.0.1', UTC_TIMESTAMP() + INTERVAL 1 HOUR, 'p', 1, UTC_TIMESTAMP(), 'partition'); SET sql_log_bin = 1`,
);
await list.close();
const cred = createAccount({ configPath: state.configPath, user: 'shot-admin', role: 'admin' });
const out = openSync(`${dir}/console.log`, 'a');
const child = spawn('npx', ['next', 'dev', '-p', String(port), '-H', '127.0.0.1'], {
  env: { ...process.env, SIPHA_CONFIG: state.configPath, NEXT_TELEMETRY_DISABLED: '1' },
  stdio: ['ignore', out, out],
  detached: true,
});
try {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 900 },
  });
  page.setDefaultTimeout(120_000);
  await page.goto('/login');
  await page.getByLabel('User name').fill(cred.user);
  await page.getByLabel('Password').fill(cred.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.goto('/restore');
  await page.getByRole('button', { name: 'Restore d1' }).click();
  await page
    .getByTestId('run-status')
    .filter({ hasText: /aborted|failed|succeeded/ })
    .waitFor();
  await page.screenshot({ path: '/tmp/wt16-1-diverged.png', fullPage: true });
  await page.getByRole('button', { name: /preview a repair/ }).click();
  await page.getByText(/change\(s\)\. Changes are made/).waitFor();
  await page.screenshot({ path: '/tmp/wt16-2-preview.png', fullPage: true });
  await page.getByRole('button', { name: /Apply these/ }).click();
  await page.getByTestId('repair-after').waitFor();
  await page.getByRole('button', { name: 'Restore d1' }).click();
  await page.getByTestId('run-status').filter({ hasText: 'succeeded' }).waitFor();
  await page.screenshot({ path: '/tmp/wt16-3-restored.png', fullPage: true });
  await browser.close();
} finally {
  if (child.pid) process.kill(-child.pid, 'SIGTERM');
  await down(dir).catch(() => undefined);
}
process.exit(0);
