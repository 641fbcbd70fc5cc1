import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

// `lab up --netns`: every node, SIP server and the console in a network namespace of its own,
// joined by a bridge in the root namespace (which is also where a test or benchmark that plays
// the console runs: the bridge's own address). Partitions are nftables rules inside the
// namespaces (./netns-partition.ts), so the host's own rules are never touched.

export interface NetMember {
  /** Namespace name; null for the root namespace (the bridge address). */
  ns: string | null;
  ip: string;
}

export interface LabNet {
  id: string;
  bridge: string;
  prefix: string;
  members: Record<string, NetMember>;
}

/** Per-namespace files `ip netns exec` mounts over /etc (ip-netns(8)), such as resolv.conf. */
export const NETNS_ETC = '/etc/netns';

export function ip(args: string[], input?: string): string {
  return execFileSync('ip', args, {
    encoding: 'utf8',
    stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    input,
  });
}

export function nft(ns: string, script: string): void {
  execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], {
    input: script,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/**
 * Address of each member: root .1, console .2, d{i} .1{i}, the Galera arbitrator (garb) .20,
 * p{i} .3{i} (at most 9 of each).
 */
function hostPart(name: string): number {
  if (name === 'root') return 1;
  if (name === 'console') return 2;
  if (name === 'garb') return 20;
  const m = /^([dp])(\d)$/.exec(name);
  if (!m) throw new Error(`no network address for ${name}`);
  return (m[1] === 'd' ? 10 : 30) + Number(m[2]);
}

/** Names and a /24 derived from the lab folder, skipping subnets the host already routes. */
export function planNet(dir: string): LabNet {
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 6);
  const routes = ip(['-4', 'route', 'show', 'table', 'all']);
  let third = Number.parseInt(id, 16) % 250;
  for (let i = 0; i < 250 && routes.includes(`10.213.${third + 1}.`); i++) third = (third + 1) % 250;
  return { id, bridge: `sb${id}`, prefix: `10.213.${third + 1}`, members: {} };
}

export function member(net: LabNet, name: string): NetMember {
  const m = net.members[name];
  if (!m) throw new Error(`${name} has no network namespace in this lab`);
  return m;
}

const RULES = `table inet sipha_lab {
  set cut { type ipv4_addr; flags interval; }
  chain in { type filter hook input priority 0; iifname "eth0" ip saddr @cut drop; }
  chain out { type filter hook output priority 0; oifname "eth0" ip daddr @cut drop; }
}
`;

export function createBridge(net: LabNet): void {
  net.members.root = { ns: null, ip: `${net.prefix}.1` };
  ip(['link', 'add', net.bridge, 'type', 'bridge']);
  ip(['addr', 'add', `${net.prefix}.1/24`, 'dev', net.bridge]);
  ip(['link', 'set', net.bridge, 'up']);
}

/** A namespace for `name` on the bridge, with an empty cut set; returns its address. */
export function addMember(net: LabNet, name: string): NetMember {
  const ns = `s${net.id}-${name}`;
  const addr = `${net.prefix}.${hostPart(name)}`;
  const veth = `v${net.id}${name}`;
  ip(['netns', 'add', ns]);
  net.members[name] = { ns, ip: addr };
  ip(['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  ip(['link', 'set', veth, 'master', net.bridge, 'up']);
  ip(['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0']);
  ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
  ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  nft(ns, RULES);
  return net.members[name]!;
}

/** Removes the namespaces and the bridge; each step on its own, so a half-built net goes too. */
export function destroyNet(net: LabNet): void {
  for (const m of Object.values(net.members)) {
    if (!m.ns) continue;
    try {
      ip(['netns', 'del', m.ns]);
    } catch {
      // already gone
    }
    // The namespace's resolv.conf (lab/dns.ts writeNetnsResolvConf); the name is this lab's own.
    rmSync(join(NETNS_ETC, m.ns), { recursive: true, force: true });
  }
  try {
    ip(['link', 'del', net.bridge]);
  } catch {
    // already gone
  }
}

/** The command line that runs `cmd args` inside the member's namespace. */
export function inNs(net: LabNet | undefined, name: string, cmd: string, args: string[]) {
  const ns = net?.members[name]?.ns;
  return ns ? { cmd: 'ip', args: ['netns', 'exec', ns, cmd, ...args] } : { cmd, args };
}
