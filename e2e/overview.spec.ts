import { expect, test } from '@playwright/test';
import { signal, start, status } from '../lab/index.ts';
import { labDir, signIn } from './support/session';

test.describe('overview', () => {
  test.afterEach(async () => {
    // Leave the shared lab as the next spec expects it: everything running.
    const s = await status(labDir);
    for (const p of [...s.nodes, ...s.sip]) {
      if (p.state === 'stopped') await signal(labDir, p.name, 'cont');
      if (p.state === 'down') await start(labDir, p.name);
    }
  });

  test('shows every component up, then p1 down within 5 s of a SIGKILL', async ({ page }, testInfo) => {
    await signIn(page);
    for (const name of ['d1', 'd2']) {
      await expect(page.getByRole('article', { name: `database node ${name}` })).toHaveAttribute(
        'data-state',
        'up',
      );
    }
    // Serving: 'up', or 'warn' when its db_cluster left its own node on its own under load (a slow
    // query): the console then shows "two writers: verify" until the pair is verified.
    for (const name of ['p1', 'p2']) {
      await expect(page.getByRole('article', { name: `SIP server ${name}` })).toHaveAttribute(
        'data-state',
        /^(up|warn)$/,
      );
    }
    await expect(page.getByRole('article', { name: 'database node d1' })).toContainText('active');
    await page.screenshot({ path: testInfo.outputPath('overview-all-up.png'), fullPage: true });
    await testInfo.attach('overview-all-up', {
      path: testInfo.outputPath('overview-all-up.png'),
      contentType: 'image/png',
    });

    await signal(labDir, 'p1', 'kill');
    await expect(page.getByRole('article', { name: 'SIP server p1' })).toHaveAttribute('data-state', 'down', {
      timeout: 5000,
    });
    // The rest of the page stays live.
    await expect(page.getByRole('article', { name: 'SIP server p2' })).toHaveAttribute(
      'data-state',
      /^(up|warn)$/,
    );
    await page.screenshot({ path: testInfo.outputPath('overview-p1-down.png'), fullPage: true });
    await testInfo.attach('overview-p1-down', {
      path: testInfo.outputPath('overview-p1-down.png'),
      contentType: 'image/png',
    });
  });
});
