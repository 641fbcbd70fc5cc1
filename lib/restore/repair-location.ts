import type { RepairChange } from './repair-types';
import type { RowDiff } from './types';

// The merge of diverged registrations (`location` is soft state: phones refresh it). Pure: from
// the differing rows of both nodes to the changes on each. Rows only on one side are copied to
// the other; for one contact (username, domain, contact) registered on both sides the row with
// the newer `expires` wins on both (a tie keeps the survivor's). Ids must match across nodes
// (row-based replication finds rows by primary key), so a copied row whose id the other side
// uses for a different row gets a fresh id on both nodes.

type Row = Record<string, unknown>;

const contactOf = (r: Row) => `${r.username}@${r.domain} ${r.contact}`;
const newer = (a: Row, b: Row) =>
  String(a.expires) > String(b.expires) ||
  (String(a.expires) === String(b.expires) && String(a.last_modified) > String(b.last_modified));

export function planLocationMerge({
  diffs,
  freshIdFrom,
}: {
  diffs: RowDiff[];
  /** The first id above every id on both nodes, for rows that must move. */
  freshIdFrom: number;
}): RepairChange[] {
  const rows = diffs.filter((d) => d.table === 'location');
  const sides: Record<'survivor' | 'target', Row[]> = {
    survivor: rows.flatMap((d) => (d.survivor ? [d.survivor] : [])),
    target: rows.flatMap((d) => (d.target ? [d.target] : [])),
  };
  // Winners, survivor's rows first so that a tie keeps the survivor's.
  const win = new Map<string, Row>();
  for (const r of [...sides.survivor, ...sides.target]) {
    const k = contactOf(r);
    const cur = win.get(k);
    if (!cur || newer(r, cur)) win.set(k, r);
  }
  const finals = [...win.values()];
  const ids = new Set<string>();
  let fresh = freshIdFrom;
  const moved = new Map<Row, Row>();
  for (const r of finals) {
    const id = String(r.id);
    if (ids.has(id)) moved.set(r, { ...r, id: String(fresh++) });
    else ids.add(id);
  }
  const wanted = finals.map((r) => moved.get(r) ?? r);
  const same = (a: Row, b: Row) => JSON.stringify(a) === JSON.stringify(b);
  const changes: RepairChange[] = [];
  const other = (node: 'survivor' | 'target') => (node === 'survivor' ? 'returning node' : 'survivor');
  for (const node of ['survivor', 'target'] as const) {
    const has = sides[node];
    const mine = (w: Row) => has.find((r) => contactOf(r) === contactOf(w));
    for (const r of has)
      if (!wanted.some((w) => same(w, r)))
        changes.push({
          table: 'location',
          node,
          op: 'delete',
          key: String(r.ruid),
          row: r,
          why: wanted.some((w) => w.ruid === r.ruid)
            ? `older (expires ${String(r.expires)}): replaced by the ${other(node)}'s`
            : `older registration of ${contactOf(r)}`,
        });
    for (const w of wanted)
      if (!has.some((r) => same(w, r))) {
        const old = mine(w);
        changes.push({
          table: 'location',
          node,
          op: 'insert',
          key: String(w.ruid),
          row: w,
          why: !finals.includes(w)
            ? `copied with a fresh id ${w.id}: its id is taken on the other node`
            : old && old !== w
              ? `newer on the ${other(node)} (expires ${String(w.expires)})`
              : `only on the ${other(node)}`,
        });
      }
  }
  return changes;
}
