import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { adminQuery, signal, start, status } from '../../lab/index.ts';

/**
 * A real crash of d1 as the console sees it (writes go to d2), `during` the outage, then d1
 * started again: the overview shows it fenced. The page ends on the overview.
 */
export async function crashAndReturnD1(opts: {
  page: Page;
  labDir: string;
  during?: () => Promise<void>;
}): Promise<void> {
  const { page, labDir } = opts;
  await signal(labDir, 'd1', 'kill');
  await expect(page.getByRole('alert').filter({ hasText: 'Writing to' })).toContainText('Writing to d2', {
    timeout: 10_000,
  });
  await opts.during?.();
  await start(labDir, 'd1');
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('article', { name: 'database node d1' })).toContainText('fenced', {
    timeout: 15_000,
  });
}

/**
 * Brings the shared lab back to "d1 active, nothing fenced" after a spec failed d1 over: start
 * d1, let it catch up from d2 through replication, then lift the fence through the audited API.
 */
export async function recoverD1(opts: { labDir: string; request: APIRequestContext }): Promise<void> {
  const s = await status(opts.labDir);
  if (s.nodes.find((n) => n.name === 'd1')?.state === 'down') await start(opts.labDir, 'd1');
  const rows = await adminQuery<{ pos: string }>(opts.labDir, 'd2', 'SELECT @@gtid_binlog_pos AS pos');
  const pos = rows[0]?.pos ?? '';
  await adminQuery(opts.labDir, 'd1', 'SELECT MASTER_GTID_WAIT(?, 20)', [pos]);
  // Done when unfenced or not fenced at all; the console may not have seen d1 come back yet
  // (conflict:state). Anything else (401, 403, 500, …) is a failed clean-up and fails the spec.
  await expect
    .poll(
      async () => {
        const res = await opts.request.post('/api/nodes/d1/fence', {
          data: { fenced: false, reason: 'e2e clean-up after catch-up', confirm: 'yes' },
        });
        if (res.ok()) return 'unfenced';
        const body = await res.json().catch(() => null);
        const error = body?.error as { code?: string; message?: string } | undefined;
        if (error?.code === 'conflict:state' && /already/.test(error.message ?? '')) return 'unfenced';
        return `${res.status()} ${error?.code ?? 'without an error code'}: ${error?.message ?? ''}`;
      },
      { message: 'd1 could not be unfenced', timeout: 15_000, intervals: [500] },
    )
    .toBe('unfenced');
}

/** After a spec that stopped midway: d1 started and unfenced when it is down or fenced. */
export async function recoverD1IfNeeded(opts: { labDir: string; request: APIRequestContext }): Promise<void> {
  const s = await status(opts.labDir);
  const res = await opts.request.get('/api/status');
  const fenced = res.ok() && (await res.json()).nodes?.some((n: { role: string }) => n.role === 'fenced');
  if (s.nodes.find((n) => n.name === 'd1')?.state === 'down' || fenced) await recoverD1(opts);
}
