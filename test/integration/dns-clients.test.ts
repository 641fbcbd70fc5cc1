import { describe, expect, it } from 'vitest';
import { type Phone, startPhone } from '@/lab/baresip';
import { labUser, placeCalls, seedUsers } from '@/lab/index';
import { sleep } from '@/lab/process';
import { runSipp } from '@/lab/sipp';
import { memoName, planDrain } from '@/lib/dns/drain-plan';
import { query, update } from '@/lib/dns/query';
import { resolveSipDomain } from '@/lib/dns/rfc3263';
import { TYPE } from '@/lib/dns/wire';
import { acceptedRegs } from '../helpers/dns';
import { useLab } from '../helpers/lab';
import { until } from '../helpers/poll';

// Real SRV-following clients: the edge Kamailio shares REGISTERs by SRV weight, and a real
// baresip phone moves to the other SIP server when one is drained by a signed DNS update, and
// answers calls placed through either proxy.

const TTL = 2;
const REGINT = 5;
describe('real SRV-following clients', () => {
  const lab = useLab({
    nodes: 2,
    console: false,
    dns: {
      srv: [
        { priority: 0, weight: 3 },
        { priority: 0, weight: 1 },
      ],
      ttl: TTL,
    },
    edge: true,
  });

  async function drain(server: string, op: 'drain' | 'restore') {
    const { state } = lab();
    const d = state.dns!;
    const dns = { host: d.host, port: d.port };
    const res = await resolveSipDomain(dns, state.domain);
    const s = state.sip.find((x) => x.name === server)!;
    const view = { name: s.name, host: s.host, udpPort: s.udp, tcpPort: s.tcp, up: { udp: true, tcp: true } };
    const memo = (await query(dns, memoName(server, d.zone), TYPE.TXT)).records[0] ?? null;
    const plan = planDrain({ res, zone: d.zone, server: view, op, mode: 'priority', memo });
    if ('problem' in plan) throw new Error(plan.problem);
    await update({
      server: dns,
      zone: d.zone,
      key: { name: d.keyName, secret: d.keySecret },
      remove: plan.remove,
      add: plan.add,
    });
  }

  /** Waits until the phone's next REGISTERs land only on `to`; returns ms from now. */
  async function movesTo(to: string, from: string, limitMs: number): Promise<number> {
    const t0 = Date.now();
    let last = await acceptedRegs(lab().state);
    while (Date.now() - t0 < limitMs) {
      await sleep(250);
      const now = await acceptedRegs(lab().state);
      if (now[to]! > last[to]! && now[from] === last[from]) return Date.now() - t0;
      last = now;
    }
    throw new Error(`the phone did not move to ${to} within ${limitMs} ms`);
  }

  describe('the edge Kamailio', () => {
    it('spreads REGISTERs by SRV weight (3:1)', async () => {
      const { state } = lab();
      const before = await acceptedRegs(state);
      const r = await runSipp({
        sip: state.edge!,
        users: seedUsers(100),
        domain: state.domain,
        transport: 'udp',
        rate: 100,
        calls: 400,
        expires: 3600,
        workDir: state.dir,
        timeoutSec: 60,
      });
      const after = await acceptedRegs(state);
      expect(r.failed).toBe(0);
      const [d1, d2] = [after.p1! - before.p1!, after.p2! - before.p2!];
      expect(d1 + d2).toBe(400);
      // 75 % expected; 400 draws give a standard deviation of about 2 points.
      expect(d1 / 400).toBeGreaterThan(0.65);
      expect(d1 / 400).toBeLessThan(0.85);
    });
  });

  describe('a baresip phone', () => {
    it("registers through DNS and answers a call through each proxy, each ended by the caller's BYE", async () => {
      const { state } = lab();
      let phone: Phone | undefined;
      try {
        // The account is <sip:user1043@domain>;answermode=auto: baresip finds the registrar by
        // NAPTR/SRV from the lab's named and answers every call itself.
        phone = await startPhone(state, { ...labUser('user1043'), regint: 60 });
        await until('the baresip phone to register through DNS', () => phone!.events().registered > 0);
        expect(phone.events()).toEqual({ registered: 1, answered: 0, ended: 0 });
        // A location row in the shared database: either proxy finds the phone, whichever SRV
        // target it registered at. (The edge test above left a sipp contact of user1043 that no
        // process answers any more; the proxy forks to both, so only the phone's log tells.)
        for (const [n, proxy] of [
          [1, 'p1'],
          [2, 'p2'],
        ] as const) {
          const r = await placeCalls(state, { from: 'user1000', to: 'user1043', site: proxy });
          expect(r.ok, r.output.slice(-1500)).toBe(1);
          expect(r.failed).toBe(0);
          // Counted from baresip's own output: the 200 came from this phone, and the caller's
          // BYE (sipp ends a call only on the 200 to it) ended the call there.
          await until(`the phone to log the end of call ${n}`, () => phone!.events().ended === n);
          expect(phone.events()).toMatchObject({ answered: n, ended: n });
        }
      } finally {
        await phone?.stop();
      }
    });

    it('moves its REGISTERs to the other server within TTL + its refresh time after a drain', async () => {
      const { state } = lab();
      let phone: Phone | undefined;
      try {
        await drain('p2', 'drain');
        await sleep(TTL * 1000);
        phone = await startPhone(state, { username: 'user1042', password: 'secret1042', regint: REGINT });
        await movesTo('p1', 'p2', 15_000);
        await drain('p2', 'restore');
        await drain('p1', 'drain');
        const budget = (TTL + REGINT) * 1000 + 2000;
        const took = await movesTo('p2', 'p1', budget + 5000);
        expect(took).toBeLessThan(budget);
        // And it stays there: the next two refreshes go to p2 as well.
        const mid = await acceptedRegs(state);
        await sleep(REGINT * 2000);
        const end = await acceptedRegs(state);
        expect(end.p1).toBe(mid.p1);
        expect(end.p2!).toBeGreaterThan(mid.p2!);
      } finally {
        await phone?.stop();
      }
    });
  });
});
