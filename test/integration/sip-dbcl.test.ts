import { afterAll, describe, expect, it } from 'vitest';
import { placeCalls, register, signal, startPhone } from '@/lab/index';
import type { Phone } from '@/lab/phone';
import { getOverview } from '@/lib/health/overview';
import { runRestore } from '@/lib/restore/run-restore';
import { probeRegister, type RegisterProbeResult } from '@/lib/sip/register-probe';
import { digestHashes } from '@/lib/users/hash';
import { until } from '../helpers/poll';
import { useSipDbLab } from '../helpers/sip-db';

// SIP servers that fail over between databases (db_cluster, single-writer: both use d1 first)
// and the console keeping their lists in step with fencing. d1 is SIGSTOPped while p1 lives;
// REGISTERs at p1 work again through d2; the console fences d1 and takes it out of both SIP
// servers' lists; after the restore both use d1 again. One lab, the tests in order.

const HANG_BUDGET_MS = 3000;
const MARGIN_MS = 5000;

describe('SIP servers fail over between databases', () => {
  const { lab, list, sync, db } = useSipDbLab({ nodes: 2, dbPolicy: 'single-writer' });
  let phone: Phone | undefined;

  afterAll(async () => {
    await phone?.stop();
    const s = lab().state;
    await signal(s.dir, 'd1', 'cont').catch(() => undefined);
  });

  it('reads each SIP server’s list over JSON-RPC: both use d1 first, none inactive', async () => {
    await sync().round();
    for (const p of ['p1', 'p2'])
      expect(db(p)).toMatchObject({
        policy: 'single-writer',
        order: ['d1', 'd2'],
        using: 'd1',
        inactive: [],
        error: null,
      });
  });

  it('(b) d1 SIGSTOPped: REGISTERs at p1 succeed again through d2 within the budget, calls still connect', async () => {
    const { dir, state } = lab();
    phone = await startPhone({
      sip: state.sip[0]!,
      user: { username: 'user1010', password: 'secret1010' },
      domain: state.domain,
      workDir: state.dir,
      stayMs: 300_000,
    });
    await signal(dir, 'd1', 'stop');
    // The console's own REGISTER probe, in a loop: no sipp start-up in the measured time.
    const t0 = Date.now();
    const p1 = state.sip[0]!;
    const { ha1 } = digestHashes({ username: 'user1020', domain: state.domain, password: 'secret1020' });
    let r: RegisterProbeResult | undefined;
    while (!r?.ok && Date.now() - t0 < 30_000)
      r = await probeRegister({
        host: p1.host,
        port: p1.udp,
        domain: state.domain,
        username: 'user1020',
        ha1,
        timeoutMs: 5000,
      });
    const recovered = Date.now() - t0;
    expect(r?.ok, JSON.stringify(r)).toBe(true);
    expect(recovered).toBeLessThan(HANG_BUDGET_MS + MARGIN_MS);
    const call = await placeCalls(state, { from: 'user1000', to: 'user1010', site: 'p1' });
    expect(call.ok, call.output.slice(-1500)).toBe(1);
    expect(phone.answered()).toBe(1);
  });

  it('fences d1 and takes it out of every SIP server’s list, audited; the overview says p1 switched', async () => {
    await until('d1 fenced by the console', () => list().isFenced('d1'));
    await until('d1 disabled on p1 and p2', async () => {
      await sync().round();
      return ['p1', 'p2'].every((p) => db(p).inactive.some((i) => i.node === 'd1' && i.byConsole));
    });
    expect(db('p1').using).toBe('d2');
    const audits = await list().read((k) =>
      k
        .selectFrom('sipha_audit')
        .select(['action', 'target', 'outcome'])
        .where('action', '=', 'sip.db.disable')
        .execute(),
    );
    expect(audits.value.map((a) => `${a.target} ${a.outcome}`).sort()).toEqual(['p1:d1 ok', 'p2:d1 ok']);
    await until(
      'overview says p1 switched to d2',
      async () => {
        const o = await getOverview();
        return !!o.services
          ?.find((s) => s.name === 'p1')
          ?.words.includes('it uses d2 now (switched from d1)');
      },
      20_000,
    );
  });

  it('(d) after the restore both SIP servers use d1 again, audited', async () => {
    const { dir } = lab();
    await signal(dir, 'd1', 'cont');
    await until('d1 answers again (fenced)', () => list().node('d1').reachable === true, 20_000);
    const v = await runRestore({
      list: list(),
      kind: 'restore',
      procedure: 'sipha',
      target: 'd1',
      actor: 'test',
      runId: 'sip-d',
    });
    expect(v.status, v.message).toBe('succeeded');
    await until('d1 enabled on p1 and p2', async () => {
      await sync().round();
      return ['p1', 'p2'].every((p) => db(p).using === 'd1' && db(p).inactive.length === 0);
    });
    // Read where the console writes now (d1): the audit rows reach d2 only by replication.
    const enabled = await list().read((k) =>
      k
        .selectFrom('sipha_audit')
        .select(['target'])
        .where('action', '=', 'sip.db.enable')
        .where('outcome', '=', 'ok')
        .execute(),
    );
    expect(enabled.node).toBe('d1');
    expect(enabled.value.map((a) => a.target).sort()).toEqual(['p1:d1', 'p2:d1']);
    const after = await register(dir, {
      site: 'p2',
      users: [{ username: 'user1030', password: 'secret1030' }],
    });
    expect(after.ok).toBe(1);
  });
});
