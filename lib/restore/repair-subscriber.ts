import type { RepairChange, SubscriberChoice } from './repair-types';
import type { RowDiff } from './types';

// Subscriber differences are never merged: each differing row (by id) is resolved by the
// operator's choice. Pure: from the differences and the choices to the changes on each node.
// A row without a choice is left as it is on both nodes.

export function planSubscriberChoices({
  diffs,
  choices,
}: {
  diffs: RowDiff[];
  choices: Record<string, SubscriberChoice>;
}): RepairChange[] {
  const changes: RepairChange[] = [];
  for (const d of diffs.filter((x) => x.table === 'subscriber')) {
    const choice = choices[d.key];
    if (!choice) continue;
    const put = (node: 'survivor' | 'target', row: Record<string, unknown> | null, why: string) => {
      const old = node === 'survivor' ? d.survivor : d.target;
      if (old) changes.push({ table: 'subscriber', node, op: 'delete', key: d.key, row: old, why });
      if (row) changes.push({ table: 'subscriber', node, op: 'insert', key: d.key, row, why });
    };
    if (choice === 'survivor') put('target', d.survivor, "keep the survivor's");
    else if (choice === 'target') put('survivor', d.target, "keep the returning node's");
    else {
      put('survivor', null, 'delete on both (operator)');
      put('target', null, 'delete on both (operator)');
    }
  }
  return changes;
}
