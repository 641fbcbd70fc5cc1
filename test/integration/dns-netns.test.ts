import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { seedUsers } from '@/lab/index';
import { rpc } from '@/lab/kamailio';
import { member } from '@/lab/netns';
import { runSipp } from '@/lab/sipp';
import { acceptedRegs, dig } from '../helpers/dns';
import { useLab } from '../helpers/lab';

// `lab up --netns --edge`: the SIP servers live in namespaces of their own; the lab's named also
// answers on port 53 of the bridge, and each namespace's resolv.conf points at it, so what runs
// there resolves the SIP domain like any program would.

describe('lab DNS with --netns', () => {
  const lab = useLab({ nodes: 2, console: false, netns: true, dns: true, edge: true });

  /** Runs a command in a member's namespace, as `ip netns exec` runs the lab's processes. */
  const inNs = (name: string, cmd: string, args: string[]) =>
    execFileSync('ip', ['netns', 'exec', member(lab().state.net!, name).ns!, cmd, ...args], {
      encoding: 'utf8',
    });

  it("answers inside a SIP server's namespace through its resolv.conf, on port 53", () => {
    const { state } = lab();
    const srv = `_sip._udp.${state.domain}`;
    // No server and no port given: dig reads the namespace's /etc/resolv.conf.
    const inside = inNs('p1', 'dig', ['+noall', '+answer', srv, 'SRV']).trim().split('\n');
    const fromRoot = dig(state, srv, 'SRV');
    expect(inside.length).toBe(2);
    expect(inside.map((l) => l.split(/\s+/).slice(4).join(' ')).sort()).toEqual(
      fromRoot.map((l) => l.split(/\s+/).slice(4).join(' ')).sort(),
    );
    // glibc's resolver (getent), by the search domain: p2's address on the bridge.
    const p2 = state.sip.find((s) => s.name === 'p2')!;
    expect(inNs('p1', 'getent', ['hosts', 'p2']).split(/\s+/)[0]).toBe(p2.host);
    expect(p2.host).toBe(member(state.net!, 'p2').ip);
  });

  it('the edge forwards REGISTERs over UDP to the SIP servers in their namespaces', async () => {
    const { state } = lab();
    const tcp = async () => {
      const r = (await rpc(state.edge!.rpcUrl, 'stats.get_statistics', ['tcp:'])) as string[];
      const n = (name: string) => Number(/=\s*(\d+)/.exec(r.find((l) => l.startsWith(name)) ?? '')?.[1]);
      return n('tcp:connect_success') + n('tcp:connect_failed');
    };
    const before = await acceptedRegs(state);
    const tcpBefore = await tcp();
    const r = await runSipp({
      sip: state.edge!,
      users: seedUsers(100),
      domain: state.domain,
      transport: 'udp',
      rate: 20,
      calls: 40,
      expires: 3600,
      workDir: state.dir,
      timeoutSec: 30,
    });
    expect(r.failed).toBe(0);
    const after = await acceptedRegs(state);
    // p1 has priority 0; p2 none.
    expect([after.p1! - before.p1!, after.p2! - before.p2!]).toEqual([40, 0]);
    // NAPTR puts UDP first: not one TCP connection was needed (a failed UDP send falls back to TCP).
    expect(Number.isFinite(tcpBefore)).toBe(true);
    expect(await tcp()).toBe(tcpBefore);
  });
});
