import { type LabNet, member, nft } from './netns.ts';

// `lab partition A B`, `lab partition A --all`, `lab partition A nodes`, `lab heal [A B]`: drops
// in both directions, as nftables set elements inside the namespaces (input and output on the
// bridge side only). A member without a namespace (the root namespace, where a test or benchmark
// plays the console) gets no rules: those of the other side cut it off just as well.

/**
 * `nodes` as the second name: A's cluster peers, the other database nodes and the Galera
 * arbitrator. A Galera node cut from them loses all its group communication, IST and SST
 * traffic (every packet between the addresses), while the console and the SIP servers still
 * reach it over SQL: it leaves the primary component, which is what the console must then see.
 */
export const NODES = 'nodes';

function peersOf(net: LabNet, a: string): string[] {
  return Object.keys(net.members).filter((n) => n !== a && /^(d\d+|garb)$/.test(n));
}

function edit(net: LabNet, name: string, verb: 'add' | 'delete', cidr: string): void {
  const ns = member(net, name).ns;
  if (!ns) return;
  try {
    nft(ns, `${verb} element inet sipha_lab cut { ${cidr} }\n`);
  } catch (e) {
    // Deleting an element that is not there is no error for heal.
    if (verb === 'add') throw e;
  }
}

function cut(net: LabNet, verb: 'add' | 'delete', a: string, b: string): void {
  edit(net, a, verb, member(net, b).ip);
  edit(net, b, verb, member(net, a).ip);
}

/** Cuts A from B, from its cluster peers (`nodes`), or from everyone (`all`). */
export function partition(net: LabNet, a: string, b: string | 'all' | typeof NODES): void {
  if (b === 'all') {
    edit(net, a, 'add', '0.0.0.0/0');
    for (const other of Object.keys(net.members)) if (other !== a) edit(net, other, 'add', member(net, a).ip);
    return;
  }
  if (a === b) throw new Error('partition needs two different names');
  const others = b === NODES ? peersOf(net, a) : [b];
  if (others.length === 0) throw new Error(`${a} has no other database node to be cut from`);
  for (const o of others) cut(net, 'add', a, o);
}

/** Heals A–B, A and its peers (`heal A nodes`), everything around A (`heal A`), or the whole lab. */
export function heal(net: LabNet, a?: string, b?: string): void {
  const names = Object.keys(net.members);
  if (a && b) {
    for (const o of b === NODES ? peersOf(net, a) : [b]) cut(net, 'delete', a, o);
    return;
  }
  for (const n of names) {
    const ns = member(net, n).ns;
    if (!ns) continue;
    if (!a || n === a) nft(ns, 'flush set inet sipha_lab cut\n');
    else edit(net, n, 'delete', member(net, a).ip);
  }
}
