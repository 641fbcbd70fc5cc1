import { expect, test } from '@playwright/test';
import { adminQuery } from '../lab/index.ts';
import { labDir, signIn } from './support/session';

test('a viewer sees no fence control, and a forged POST from its session is refused (403) and audited', async ({
  page,
}) => {
  await signIn(page, 'viewer');
  await expect(page.getByRole('article', { name: 'database node d1' })).toHaveAttribute('data-state', 'up');
  await expect(page.getByRole('button', { name: /Fence d1/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Replication' })).toHaveCount(0);

  const res = await page.request.post('/api/nodes/d1/fence', {
    data: { fenced: true, reason: 'forged by a viewer', confirm: 'yes' },
  });
  expect(res.status()).toBe(403);
  const body = await res.json();
  expect(body.error.code).toBe('forbidden:role');
  expect(JSON.stringify(body)).not.toMatch(/SELECT|INSERT|stack|at \//);

  const rows = await adminQuery<{ n: number }>(
    labDir,
    'd1',
    "SELECT COUNT(*) AS n FROM kamailio.sipha_audit WHERE actor = 'e2e-viewer' AND action = 'node.fence' AND outcome = 'refused'",
  );
  expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  const fence = await adminQuery<{ fenced: number }>(
    labDir,
    'd1',
    "SELECT fenced FROM kamailio.sipha_node_state WHERE node = 'd1'",
  );
  expect(fence.every((r) => Number(r.fenced) === 0)).toBe(true);
});

test('an unauthenticated API call gets 401 JSON, never a page or a stack', async ({ request }) => {
  const res = await request.get('/api/status');
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe('unauthorized:session');
});

test('pages may not be framed or sniffed', async ({ request }) => {
  const res = await request.get('/login');
  expect(res.headers()['x-frame-options']).toBe('DENY');
  expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
});
