import { describe, expect, it } from 'vitest';
import { signal, status } from '@/lab/index';
import { rpc } from '@/lab/kamailio';
import { analyze, type ServerView } from '@/lib/dns/analyze';
import { resolveSipDomain } from '@/lib/dns/rfc3263';
import { type RR, TYPE } from '@/lib/dns/wire';
import { probeServer } from '@/lib/health/sip-sampler';
import { dig, plant } from '../helpers/dns';
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
});
