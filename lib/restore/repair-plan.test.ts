import { describe, expect, it } from 'vitest';
import { planLocationMerge } from './repair-location';
import { planSubscriberChoices } from './repair-subscriber';
import type { RowDiff } from './types';
import { checkDelta } from './verify-snapshot';

const reg = (id: number, ruid: string, user: string, expires: string) => ({
  id: String(id),
  ruid,
  username: user,
  domain: 'lab.sipha.test',
  contact: `sip:${user}@10.0.0.1`,
  expires,
  last_modified: '2026-11-29 10:00:00',
});
const d = (key: string, survivor: RowDiff['survivor'], target: RowDiff['target']): RowDiff => ({
  table: 'location',
  key,
  survivor,
  target,
});
const plan = (diffs: RowDiff[]) =>
  planLocationMerge({ diffs, freshIdFrom: 1000 }).map((c) => `${c.node} ${c.op} ${c.key} ${c.row.id}`);

describe('location merge plan', () => {
  it('copies one-sided rows to the other side', () => {
    expect(plan([d('a', reg(1, 'a', 'u1', '2026-11-29 11:00:00'), null)])).toEqual(['target insert a 1']);
    expect(plan([d('b', null, reg(2, 'b', 'u2', '2026-11-29 11:00:00'))])).toEqual(['survivor insert b 2']);
  });
  it('keeps the newer expires for one contact on both sides, the survivor on a tie', () => {
    const s = reg(1, 's', 'u1', '2026-11-29 11:00:00');
    const t = reg(2, 't', 'u1', '2026-11-29 12:00:00');
    expect(plan([d('s', s, null), d('t', null, t)]).sort()).toEqual([
      'survivor delete s 1',
      'survivor insert t 2',
    ]);
    const tie = { ...t, expires: s.expires };
    expect(plan([d('s', s, null), d('t', null, tie)]).sort()).toEqual([
      'target delete t 2',
      'target insert s 1',
    ]);
  });
  it('gives a fresh id on both sides to a copied row whose id the other side uses', () => {
    const s = reg(7, 's', 'u1', '2026-11-29 11:00:00');
    const t = reg(7, 't', 'u2', '2026-11-29 11:00:00');
    expect(plan([d('s', s, null), d('t', null, t)]).sort()).toEqual([
      'survivor insert t 1000',
      'target delete t 7',
      'target insert s 7',
      'target insert t 1000',
    ]);
  });
});

describe('subscriber choices', () => {
  const sv = { id: '5', username: 'alice', ha1: 'x' };
  const tv = { id: '5', username: 'alice', ha1: 'y' };
  const diffs: RowDiff[] = [{ table: 'subscriber', key: '5', survivor: sv, target: tv }];
  const ops = (choice: 'survivor' | 'target' | 'delete') =>
    planSubscriberChoices({ diffs, choices: { '5': choice } }).map((c) => `${c.node} ${c.op} ${c.row.ha1}`);
  it('changes nothing without a choice', () => {
    expect(planSubscriberChoices({ diffs, choices: {} })).toEqual([]);
  });
  it('writes the chosen version on the other node, or deletes on both', () => {
    expect(ops('survivor')).toEqual(['target delete y', 'target insert x']);
    expect(ops('target')).toEqual(['survivor delete x', 'survivor insert y']);
    expect(ops('delete')).toEqual(['survivor delete x', 'target delete y']);
  });
});

describe('the GTID part of the proof under the second lock', () => {
  const snapshot = {
    survivorPos: '1-1-10,2-2-100',
    targetPos: '1-1-10,2-2-100',
    lockMs: 5,
    tables: [],
    rowsDiffering: 0,
  };
  it('holds when the target applied exactly the survivor’s transactions since the snapshot', () => {
    expect(checkDelta({ snapshot, survivorPos: '1-1-10,2-2-150', targetPos: '1-1-10,2-2-150' }).ok).toBe(
      true,
    );
  });
  it('fails when the target misses some or logged its own', () => {
    expect(checkDelta({ snapshot, survivorPos: '1-1-10,2-2-150', targetPos: '1-1-10,2-2-149' }).ok).toBe(
      false,
    );
    expect(checkDelta({ snapshot, survivorPos: '1-1-10,2-2-150', targetPos: '1-1-11,2-2-150' }).ok).toBe(
      false,
    );
  });
});
