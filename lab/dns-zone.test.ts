import { describe, expect, it } from 'vitest';
import { parseSrvOption, renderNamedConf, renderZone } from './dns-zone.ts';
import { renderEdge } from './edge.ts';

describe('lab DNS zone', () => {
  it('defaults to p1 priority 0, p2 priority 1', () => {
    expect(parseSrvOption(undefined, 2)).toEqual([
      { priority: 0, weight: 10 },
      { priority: 1, weight: 10 },
    ]);
  });

  it('reads --srv priority:weight pairs and refuses bad ones', () => {
    expect(parseSrvOption('0:40,0:40,0:20', 3).map((s) => s.weight)).toEqual([40, 40, 20]);
    expect(() => parseSrvOption('0:40', 2)).toThrow(/needs 2/);
    expect(() => parseSrvOption('0:40,x', 2)).toThrow(/not priority:weight/);
    expect(() => parseSrvOption('0:40,0:70000', 2)).toThrow(/0-65535/);
  });

  it('publishes NAPTR for UDP and TCP, SRV per site and an A record per target', () => {
    const zone = renderZone({
      zone: 'lab.sipha.test',
      ttl: 5,
      sites: [{ name: 'p1', host: '127.0.0.1', udp: 5060, tcp: 5060, srv: { priority: 0, weight: 40 } }],
    });
    expect(zone).toContain('$TTL 5');
    expect(zone).toContain('@ IN NAPTR 10 50 "s" "SIP+D2U" "" _sip._udp');
    expect(zone).toContain('@ IN NAPTR 20 50 "s" "SIP+D2T" "" _sip._tcp');
    expect(zone).toContain('_sip._udp IN SRV 0 40 5060 p1');
    expect(zone).toContain('_sip._tcp IN SRV 0 40 5060 p1');
    expect(zone).toContain('p1 IN A 127.0.0.1');
  });

  it('lets only the TSIG key update the zone', () => {
    const conf = renderNamedConf({
      dir: '/x',
      host: '127.0.0.1',
      port: 5353,
      zone: 'z.test',
      keyName: 'k',
      keySecret: 'c2VjcmV0',
    });
    expect(conf).toContain('listen-on port 5353 { 127.0.0.1; };');
    expect(conf).toContain('update-policy { grant k zonesub ANY; };');
    expect(conf).toContain('recursion no;');
  });

  it('with --netns also answers on port 53 of the bridge', () => {
    const conf = renderNamedConf({
      dir: '/x',
      host: '127.0.0.1',
      port: 5353,
      zone: 'z.test',
      keyName: 'k',
      keySecret: 'c2VjcmV0',
      extraListen: [{ host: '10.213.7.1', port: 53 }],
    });
    expect(conf).toContain('listen-on port 5353 { 127.0.0.1; };');
    expect(conf).toContain('listen-on port 53 { 10.213.7.1; };');
  });
});

describe('edge Kamailio config', () => {
  const base = { sipPort: 5070, rpcPort: 5071, failover: true, naptr: true, blocklist: true };
  it('listens on loopback, and with --netns on the bridge too, sending from the address that routes', () => {
    const plain = renderEdge(base);
    expect(plain).toContain('listen=udp:127.0.0.1:5070');
    expect(plain).not.toContain('mhomed');
    const net = renderEdge({ ...base, netHost: '10.213.7.1' });
    expect(net).toContain('listen=udp:10.213.7.1:5070');
    expect(net).toContain('listen=tcp:10.213.7.1:5070');
    expect(net).toMatch(/^mhomed=1$/m);
  });
  it('turns DNS failover off only for the baseline', () => {
    expect(renderEdge(base)).toMatch(/^use_dns_failover=yes$/m);
    expect(renderEdge({ ...base, failover: false })).toMatch(/^use_dns_failover=no$/m);
  });
});
