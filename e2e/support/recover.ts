import type { APIRequestContext } from '@playwright/test';
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
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await opts.request.post('/api/nodes/d1/fence', {
      data: { fenced: false, reason: 'e2e clean-up after catch-up', confirm: 'yes' },
    });
    if (res.ok()) return;
    const body = await res.json();
    // The console may not have seen d1 come back yet.
    if (body.error?.code !== 'conflict:state' || /already/.test(body.error.message)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('d1 could not be unfenced');
}
