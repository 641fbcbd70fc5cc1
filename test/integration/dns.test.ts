import { describe, expect, it } from 'vitest';
import { type LabState, seedUsers, signal, start, status } from '@/lab/index';
import { rpc } from '@/lab/kamailio';
import { sleep } from '@/lab/process';
import { runSipp } from '@/lab/sipp';
import { analyze, type ServerView } from '@/lib/dns/analyze';
import { resolveSipDomain } from '@/lib/dns/rfc3263';
import { type RR, TYPE } from '@/lib/dns/wire';
import { probeServer } from '@/lib/health/sip-sampler';
import { acceptedRegs, dig, plant } from '../helpers/dns';
import { useLab } from '../helpers/lab';

// The RFC 3263 resolver and the page's warnings against the lab's real named (BIND 9), the
// real SIP servers and the real edge Kamailio; every warning from a planted mistake.

describe('DNS page data against the lab', () => {
  const lab = useLab({ nodes: 2, console: false, dns: true, edge: true });

  const srvRR = (
    name: string,
    ttl: number,
    priority: number,
    weight: number,
    port: number,
    target: string,
  ): RR => ({
    name,
    type: TYPE.SRV,
    class: 1,
    ttl,
    data: { priority, weight, port, target },
  });

  async function look(budget = 30) {
    const { state } = lab();
    const res = await resolveSipDomain({ host: state.dns!.host, port: state.dns!.port }, state.domain);
    const servers: ServerView[] = await Promise.all(
      state.sip.map(async (s) => {
        const p = await probeServer({
          name: s.name,
          host: s.host,
          udpPort: s.udp,
          tcpPort: s.tcp,
          serverId: s.serverId,
          node: s.node,
        });
        return {
          name: s.name,
          host: s.host,
          udpPort: s.udp,
          tcpPort: s.tcp,
          up: { udp: p.udp?.ok ?? null, tcp: p.tcp?.ok ?? null },
        };
      }),
    );
    const version = String(await rpc(state.edge!.rpcUrl, 'core.version'));
    return { res, a: analyze(res, servers, budget, [{ name: 'edge', version }]) };
  }

  const codes = (a: { warnings: { code: string }[] }) => [...new Set(a.warnings.map((w) => w.code))].sort();

  describe('resolving the lab domain', () => {
    it('lab status names the DNS server, without its key', async () => {
      const { state, dir } = lab();
      const s = await status(dir);
      expect(s.dns).toEqual({ host: '127.0.0.1', port: state.dns!.port, zone: 'lab.sipha.test' });
      expect(JSON.stringify(s)).not.toContain(state.dns!.keySecret);
    });

    it('shows exactly the records dig gets, mapped to p1 and p2', async () => {
      const { state } = lab();
      const { res, a } = await look();
      const fromDig = dig(state, `_sip._udp.${state.domain}`, 'SRV').map((l) =>
        l.split(/\s+/).slice(4).join(' '),
      );
      const shown = a.rows
        .filter((r) => r.transport === 'udp')
        .map((r) => `${r.priority} ${r.weight} ${r.port} ${r.target}.`);
      expect(shown.sort()).toEqual(fromDig.sort());
      expect(res.naptr.map((n) => [n.service, n.replacement, n.transport])).toEqual([
        ['SIP+D2U', `_sip._udp.${state.domain}`, 'udp'],
        ['SIP+D2T', `_sip._tcp.${state.domain}`, 'tcp'],
      ]);
      expect(a.rows.map((r) => [r.transport, r.server, r.priority, r.share, r.ttl, r.up])).toEqual([
        ['udp', 'p1', 0, 1, 5, true],
        ['udp', 'p2', 1, 0, 5, true],
        ['tcp', 'p1', 0, 1, 5, true],
        ['tcp', 'p2', 1, 0, 5, true],
      ]);
      // The edge runs Kamailio 5.6 and the zone has NAPTR: the one warning of a clean lab.
      expect(codes(a)).toEqual(['kamailio-naptr-bug']);
    });
  });

  describe('a planted mistake for each warning', () => {
    it('every top-priority target down (p1 stopped)', async () => {
      await signal(lab().dir, 'p1', 'stop');
      try {
        expect(codes((await look()).a)).toContain('top-priority-down');
      } finally {
        await signal(lab().dir, 'p1', 'cont');
      }
    });

    it('a configured server missing from DNS, and UDP and TCP that disagree', async () => {
      const { state } = lab();
      const p2 = state.sip[1]!;
      const rr = srvRR(`_sip._udp.${state.domain}`, 5, 1, 10, p2.udp, `p2.${state.domain}`);
      await plant(state, { remove: [rr] });
      try {
        const { a } = await look();
        expect(codes(a)).toEqual(expect.arrayContaining(['server-missing', 'udp-tcp-disagree']));
        expect(a.warnings.find((w) => w.code === 'server-missing')?.text).toMatch(
          /p2 .* is not in _sip\._udp/,
        );
      } finally {
        await plant(state, { add: [rr] });
      }
    });

    it('records pointing at nothing configured, or at no address', async () => {
      const { state } = lab();
      const extra = [
        srvRR(`_sip._tcp.${state.domain}`, 5, 0, 10, 9, `p1.${state.domain}`),
        srvRR(`_sip._tcp.${state.domain}`, 5, 0, 10, 5060, `nowhere.${state.domain}`),
      ];
      await plant(state, { add: extra });
      try {
        const texts = (await look()).a.warnings
          .filter((w) => w.code === 'dangling-target')
          .map((w) => w.text);
        expect(texts).toHaveLength(2);
        expect(texts.join(' ')).toMatch(/no address/);
        expect(texts.join(' ')).toMatch(/no configured SIP server/);
      } finally {
        await plant(state, { remove: extra });
      }
    });

    it('a TTL longer than the failover budget', async () => {
      const { state } = lab();
      const a1 = { name: `p2.${state.domain}`, type: TYPE.A, class: 1, ttl: 3600, data: '127.0.0.1' };
      await plant(state, { remove: [{ ...a1, ttl: 5 }], add: [a1] });
      try {
        const w = (await look(30)).a.warnings.filter((x) => x.code === 'ttl-over-budget');
        expect(w.map((x) => x.text)).toEqual([
          expect.stringMatching(/A of p2\.lab\.sipha\.test is 3600 s.*30 s/),
        ]);
      } finally {
        await plant(state, { remove: [a1], add: [{ ...a1, ttl: 5 }] });
      }
    });

    it('NAPTR and SRV that disagree', async () => {
      const { state } = lab();
      const naptr: RR = {
        name: state.domain,
        type: TYPE.NAPTR,
        class: 1,
        ttl: 5,
        data: {
          order: 30,
          preference: 50,
          flags: 's',
          service: 'SIPS+D2T',
          regexp: '',
          replacement: `_sips._tcp.${state.domain}`,
        },
      };
      await plant(state, { add: [naptr] });
      try {
        const w = (await look()).a.warnings.filter((x) => x.code === 'naptr-srv-disagree');
        expect(w.map((x) => x.text)).toEqual([
          expect.stringMatching(/SIPS\+D2T points at _sips\._tcp.*no SRV records/),
        ]);
      } finally {
        await plant(state, { remove: [naptr] });
      }
    });
  });

  describe('priority failover through the edge Kamailio', () => {
    const RATE = 40;
    /** REGISTERs sipp starts in one fr_timer of the edge (1 s, lab/edge.cfg.tmpl). */
    const PER_FR_TIMER = RATE;

    const load = (state: LabState, calls: number) =>
      runSipp({
        sip: state.edge!,
        users: seedUsers(100),
        domain: state.domain,
        transport: 'udp',
        rate: RATE,
        calls,
        expires: 3600,
        workDir: state.dir,
        timeoutSec: Math.ceil(calls / RATE) + 30,
        trace: true,
      });
    const only = (state: LabState, name: string) => ({
      ...state,
      sip: state.sip.filter((s) => s.name === name),
    });

    it('moves REGISTERs to p2 when p1 dies, refuses none, and returns to p1 after its blocklist expires', async () => {
      const { state, dir } = lab();
      let p1Dead = false;
      try {
        const before = await acceptedRegs(state);
        const running = load(state, RATE * 8);
        await sleep(2000);
        const atKill = await acceptedRegs(state);
        // Priority 0 first: everything went to p1 until now.
        expect(atKill.p1!).toBeGreaterThan(before.p1!);
        expect(atKill.p2).toBe(before.p2);
        const killAt = Date.now();
        await signal(dir, 'p1', 'kill');
        p1Dead = true;
        const r = await running;
        const after = r.calls!.filter((c) => c.startMs >= killAt);
        expect(after.length).toBeGreaterThan(4 * PER_FR_TIMER);
        // None is refused with 477 once p1 is on the blocklist (the edge tries p2 instead, where
        // the baseline edge, use_dns_failover=no, refuses every one until the blocklist expires).
        const refused = after.filter((c) => c.codes.includes(477));
        expect(refused.map((c) => c.id)).toEqual([]);
        // Those sent in the first fr_timer still went to p1, timed out, and tm retried them on p2;
        // later ones skip the blocklisted p1: none is lost (one nonce secret on every server).
        expect(after.filter((c) => c.okMs === null).map((c) => c.id)).toEqual([]);
        expect(r.failed).toBe(0);
        // And they were answered by p2: its registrar accepted at least every one of them.
        const p2 = (await acceptedRegs(only(state, 'p2'))).p2! - atKill.p2!;
        expect(p2).toBeGreaterThanOrEqual(after.filter((c) => c.okMs !== null).length);

        // p1 back: REGISTERs go to p2 until p1 leaves the blocklist (dst_blocklist_expire 10 s),
        // then to p1 again, none lost on the way.
        await start(dir, 'p1');
        p1Dead = false;
        const back = await load(state, RATE * 16);
        expect(back.failed).toBe(0);
        const mid = await acceptedRegs(state);
        expect(mid.p1!).toBeGreaterThan(0);
        const last = await load(state, 20);
        const end = await acceptedRegs(state);
        expect(last.failed).toBe(0);
        expect([end.p1! - mid.p1!, end.p2! - mid.p2!]).toEqual([20, 0]);
      } finally {
        if (p1Dead) await start(dir, 'p1');
      }
    });
  });
});
