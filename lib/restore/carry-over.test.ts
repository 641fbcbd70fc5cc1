import { describe, expect, it } from 'vitest';
import type { VerifyCheckpoint } from './types';
import { carryOver } from './verify-snapshot';

// Whether an interrupted run's compared chunks still hold in the new snapshots of a resumed run.

const old: VerifyCheckpoint = {
  survivor: 'd2',
  target: 'd1',
  survivorPos: '1-1-100,2-2-50',
  targetPos: '1-1-100,2-2-50',
  tables: [
    { table: 'subscriber', after: null, done: true, rowsDone: 10_000, chunksDone: 3 },
    { table: 'location', after: '35000', done: false, rowsDone: 35_000, chunksDone: 7 },
  ],
};
const at = (survivorPos: string, targetPos: string, nodes = { survivor: 'd2', target: 'd1' }) => ({
  ...nodes,
  survivorPos,
  targetPos,
});

describe('carrying an interrupted verification over', () => {
  it('carries the chunks over at the same position, and when the target applied only the survivor’s transactions since', () => {
    const same = carryOver({ from: old, at: at(old.survivorPos, old.targetPos) });
    expect(same.checkpoint?.tables).toEqual(old.tables);
    expect(same.detail).toMatch(/same position/);
    const later = carryOver({ from: old, at: at('1-1-100,2-2-80', '1-1-100,2-2-80') });
    expect(later.checkpoint?.tables.map((t) => t.chunksDone)).toEqual([3, 7]);
    expect(later.detail).toMatch(/^Resumed where the interrupted run stopped: .*subscriber 3, location 7/);
  });

  it('starts over, and says why, when the proof does not hold', () => {
    const cases = [
      [at('1-1-100,2-2-80', '1-1-101,2-2-80'), /d1 logged transactions of its own/],
      [at('1-1-100,2-2-40', '1-1-100,2-2-40'), /d2's snapshot .* does not contain/],
      [at('1-1-100,2-2-80', '2-2-80'), /d1's snapshot .* does not contain/],
      [at(old.survivorPos, old.targetPos, { survivor: 'd3', target: 'd1' }), /compared d1 with d2/],
    ] as const;
    for (const [where, why] of cases) {
      const r = carryOver({ from: old, at: where });
      expect(r.checkpoint).toBeNull();
      expect(r.detail).toMatch(why);
      expect(r.detail).toMatch(/Compared from the start\.$/);
    }
  });

  it('has nothing to carry without a compared chunk', () => {
    const none = { ...old, tables: old.tables.map((t) => ({ ...t, done: false, chunksDone: 0 })) };
    expect(carryOver({ from: none, at: at(old.survivorPos, old.targetPos) })).toEqual({
      checkpoint: null,
      detail: '',
    });
    expect(carryOver({ from: null, at: at(old.survivorPos, old.targetPos) }).checkpoint).toBeNull();
  });
});
