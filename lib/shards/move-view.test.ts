import { describe, expect, it } from 'vitest';
import type { SimpleJob, StepResult } from '@/lib/jobs/run';
import type { ShardMap } from './map';
import { rollbackRefusal } from './move';
import { rowOf } from './move-view';
import type { Plan } from './planner';

// What a stored move reads as after a console restart (no process here runs it), and when a
// rollback is still offered: before the commit, never after it.

const plan: Plan = {
  ranges: [{ from: '', cluster: 'c1' }],
  pins: [],
  groups: [
    { source: 'c2', target: 'c1', users: [{ username: 'user1080', domain: 'lab.test' }], registrations: 1 },
  ],
  users: 1,
  registrations: 1,
};

const done = (detail = ''): StepResult => ({ status: 'done', detail });

function stored(
  steps: Record<string, StepResult>,
  o: { status?: string; step?: string | null; rollback?: boolean } = {},
): SimpleJob<Plan> {
  return {
    jobId: 'a0000000-0000-4000-8000-000000000001',
    kind: 'shards.move',
    status: o.status ?? 'running',
    step: o.step === undefined ? null : o.step,
    owner: 'a console that stopped',
    target: 'c2 -> c1',
    state: { steps, data: plan, ...(o.rollback ? { rollback: true } : {}) },
    detail: o.status === 'failed' ? 'First stage f1 did not reload the map.' : '',
    createdBy: 'admin',
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
  };
}

const mapWith = (moving: string[]): ShardMap => ({
  version: 3,
  ranges: plan.ranges,
  overrides: new Map(moving.map((m) => [m, 'c1'])),
  moving: new Set(moving),
  reason: '',
  actor: '',
  at: null,
});
const pinned = mapWith(['user1080@lab.test']);
const unpinned = mapWith([]);
const beforeCommit = { pin: done(), copy: done(), flip: done(), catchup: done(), verify: done() };

describe('a stored move after a console restart', () => {
  it('left running at a phase is interrupted, and may be resumed or rolled back', () => {
    const m = rowOf(
      stored(
        { pin: done(), copy: done(), flip: done(), catchup: { status: 'running', detail: '' } },
        { step: 'catchup' },
      ),
      pinned,
    );
    expect(m).toMatchObject({
      status: 'interrupted',
      mode: 'move',
      phase: 'catchup',
      committed: false,
      inProgress: false,
    });
    expect(m.steps.map((s) => s.status)).toEqual([
      'done',
      'done',
      'done',
      'running',
      'pending',
      'pending',
      'pending',
    ]);
    expect(rollbackRefusal(m)).toBeNull();
  });

  it('stopped by a failure says where and why, and may be rolled back', () => {
    const m = rowOf(
      stored({ pin: done(), copy: done(), flip: { status: 'failed', detail: 'x' } }, { status: 'failed' }),
      pinned,
    );
    expect(m.status).toBe('failed');
    expect(m.detail).toBe('flip: First stage f1 did not reload the map.');
    expect(rollbackRefusal(m)).toBeNull();
  });

  it('is committed once the commit is recorded done: no rollback, and the reason names the new owner', () => {
    const m = rowOf(stored({ ...beforeCommit, commit: done() }, { step: 'cleanup' }), unpinned);
    expect(m.committed).toBe(true);
    expect(rollbackRefusal(m)).toMatch(/committed: the users already belong to c1\. Resume the move/);
  });

  it('cut short during its commit is committed exactly when the map no longer pins the users', () => {
    const cut = stored({ ...beforeCommit, commit: { status: 'running', detail: '' } }, { step: 'commit' });
    expect(rowOf(cut, pinned).committed).toBe(false);
    expect(rowOf(cut, unpinned).committed).toBe(true);
    expect(rollbackRefusal(rowOf(cut, unpinned))).toMatch(/committed/);
  });

  it('a rollback interrupted reads as a rollback at its step, offered to go on; one that ended is over', () => {
    const rb = rowOf(
      stored({ ...beforeCommit, repin: done() }, { step: 'copyback', rollback: true }),
      pinned,
    );
    expect(rb).toMatchObject({ status: 'interrupted', mode: 'rollback', phase: 'copyback' });
    expect(rb.steps.map((s) => s.id)).toEqual(['repin', 'copyback', 'uncopy', 'unpin']);
    expect(rollbackRefusal(rb)).toBeNull();
    const over = rowOf(
      stored(
        { ...beforeCommit, repin: done(), copyback: done(), uncopy: done(), unpin: done() },
        { status: 'succeeded', rollback: true },
      ),
      unpinned,
    );
    expect(over.status).toBe('rolled_back');
    expect(rollbackRefusal(over)).toBe('The move has ended.');
  });
});
