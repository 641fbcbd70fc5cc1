import { type LabNet, member, nft } from './netns.ts';

// `lab partition A B`, `lab partition A --all`, `lab heal [A B]`: drops in both directions,
// as nftables set elements inside the namespaces (input and output on the bridge side only).
// A member without a namespace (the root namespace, where a test or benchmark plays the
// console) gets no rules: those of the other side cut it off just as well.

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

export function partition(net: LabNet, a: string, b: string | 'all'): void {
  if (b === 'all') {
    edit(net, a, 'add', '0.0.0.0/0');
    for (const other of Object.keys(net.members)) if (other !== a) edit(net, other, 'add', member(net, a).ip);
    return;
  }
  if (a === b) throw new Error('partition needs two different names');
  edit(net, a, 'add', member(net, b).ip);
  edit(net, b, 'add', member(net, a).ip);
}

/** Heals A–B, or everything around A (`heal A`), or the whole lab (`heal`). */
export function heal(net: LabNet, a?: string, b?: string): void {
  const names = Object.keys(net.members);
  if (a && b) {
    edit(net, a, 'delete', member(net, b).ip);
    edit(net, b, 'delete', member(net, a).ip);
    return;
  }
  for (const n of names) {
    const ns = member(net, n).ns;
    if (!ns) continue;
    if (!a || n === a) nft(ns, 'flush set inet sipha_lab cut\n');
    else edit(net, n, 'delete', member(net, a).ip);
  }
}
