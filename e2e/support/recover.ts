import { type APIRequestContext, expect } from '@playwright/test';
import { adminQuery, start, status } from '../../lab/index.ts';

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
