import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import {
  HEARTBEAT_MS,
  interruptedJobs,
  interruptedMessage,
  isInterrupted,
  runsElsewhere,
  STALE_MS,
} from '@/lib/jobs/interrupted';
import { defineJobKind, rollbackSteps, runSteps } from '@/lib/jobs/kinds';
import { ended, liveJob, PROCESS_ID, processWords, track } from '@/lib/jobs/registry';
import { newJob, runJob, type SimpleJob } from '@/lib/jobs/run';
import { type JobAuditEntry, runJobStep } from '@/lib/jobs/step';
import type { JobStore } from '@/lib/jobs/store';
import { fileJobStore } from '../helpers/file-job-store.ts';

// The job runner over the store's contract in a temporary directory: each step persisted
// before it runs, a console restart (a store read afresh, a job this process does not run)
// found as an interrupted job, resumed without repeating what is verifiably done, or rolled
// back last step first; one audit row per step.

interface World {
  /** What the steps changed "on the servers": survives the console. */
  effects: string[];
  log: string[];
  failAt?: string;
}

const kind = defineJobKind<World>({
  kind: 'test-jobs',
  interrupted: 'interrupted: resume or roll back',
  steps: ['a', 'b', 'c'].map((id) => ({
    id,
    run: async (w: World) => {
      w.log.push(`run ${id}`);
      if (w.failAt === id) throw new AppError('conflict:state', `step ${id} broke`);
      w.effects.push(id);
      return `${id} done`;
    },
    verify: async (w: World) => w.effects.includes(id),
    rollback: async (w: World) => {
      w.log.push(`rollback ${id}`);
      if (!w.effects.includes(id)) return null;
      w.effects.splice(w.effects.indexOf(id), 1);
      return `${id} undone`;
    },
  })),
});

let dir: string;
let store: JobStore;
let audits: JobAuditEntry[];
const audit = async (e: JobAuditEntry) => {
  audits.push(e);
};
let n = 0;
const job = (): SimpleJob =>
  newJob({ jobId: `job-${process.pid}-${++n}`, kind: kind.kind, target: 'lab', createdBy: 'test' });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-'));
  store = fileJobStore(dir);
  audits = [];
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** The clock moves past STALE_MS: an older console process that wrote a row stopped reporting. */
function laterThanStale() {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now + STALE_MS + 1);
}

describe('runJob', () => {
  it('runs every step in order, persists the outcome, and audits each step exactly once', async () => {
    const w: World = { effects: [], log: [] };
    const j = job();
    const end = await runJob({ store, kind, ctx: w, job: j, audit });
    expect(end.status).toBe('succeeded');
    expect(w.log).toEqual(['run a', 'run b', 'run c']);
    const stored = await fileJobStore(dir).load(j.jobId);
    expect(stored?.status).toBe('succeeded');
    expect(stored?.step).toBeNull();
    expect((stored as SimpleJob).state.steps).toEqual({
      a: { status: 'done', detail: 'a done' },
      b: { status: 'done', detail: 'b done' },
      c: { status: 'done', detail: 'c done' },
    });
    expect(audits.map((a) => `${a.action} ${a.outcome} ${a.detail}`)).toEqual([
      'test-jobs.a ok a done',
      'test-jobs.b ok b done',
      'test-jobs.c ok c done',
    ]);
    expect(liveJob(j.jobId)?.ended).toBe(true);
  });

  it('a failing step stops the job, is audited once as failed, and later steps do not run', async () => {
    const w: World = { effects: [], log: [], failAt: 'b' };
    const j = job();
    const end = await runJob({ store, kind, ctx: w, job: j, audit });
    expect(end.status).toBe('failed');
    expect(end.detail).toBe('step b broke');
    expect(w.log).toEqual(['run a', 'run b']);
    expect(audits.map((a) => `${a.action} ${a.outcome}`)).toEqual(['test-jobs.a ok', 'test-jobs.b failed']);
    expect(end.state.steps.b?.status).toBe('failed');
  });

  it('persist → console restart → found interrupted → resumed without repeating what is done', async () => {
    const w: World = { effects: [], log: [] };
    const j = job();
    // The old console ran a, started b and died after b's effect landed but before it was
    // recorded: its row says b runs under its owner.
    await store.save({
      ...j,
      step: 'b',
      owner: 'an-older-console-process',
      state: { steps: { a: { status: 'done', detail: 'a done' }, b: { status: 'running', detail: '' } } },
    });
    laterThanStale();
    w.effects.push('a', 'b');

    const restarted = fileJobStore(dir);
    const found = await interruptedJobs({ store: restarted, kind: kind.kind });
    expect(found.map((r) => [r.jobId, r.step, r.owner])).toEqual([
      [j.jobId, 'b', 'an-older-console-process'],
    ]);

    const end = await runJob({
      store: restarted,
      kind,
      ctx: w,
      job: found[0] as SimpleJob,
      audit,
      resume: true,
    });
    expect(end.status).toBe('succeeded');
    // a: recorded done, not looked at again; b: its verify holds; c: run.
    expect(w.log).toEqual(['run c']);
    expect(w.effects).toEqual(['a', 'b', 'c']);
    expect(end.state.steps).toEqual({
      a: { status: 'done', detail: 'a done' },
      b: { status: 'skipped', detail: 'already done' },
      c: { status: 'done', detail: 'c done' },
    });
    expect(audits.map((a) => a.action)).toEqual(['test-jobs.c']);
    expect(await interruptedJobs({ store: fileJobStore(dir), kind: kind.kind })).toEqual([]);
  });

  it('a resume runs again a step recorded as running whose effect is not there', async () => {
    const w: World = { effects: ['a'], log: [] };
    const j = job();
    await store.save({
      ...j,
      step: 'b',
      owner: 'an-older-console-process',
      state: { steps: { a: { status: 'done', detail: 'a done' }, b: { status: 'running', detail: '' } } },
    });
    laterThanStale();
    const end = await runJob({
      store,
      kind,
      ctx: w,
      job: (await store.load(j.jobId)) as SimpleJob,
      audit,
      resume: true,
    });
    expect(end.status).toBe('succeeded');
    expect(w.log).toEqual(['run b', 'run c']);
    expect(audits.map((a) => `${a.action} ${a.outcome}`)).toEqual(['test-jobs.b ok', 'test-jobs.c ok']);
  });

  it('with rethrow, the failure is recorded first and then thrown', async () => {
    const w: World = { effects: [], log: [], failAt: 'a' };
    const j = job();
    await expect(runJob({ store, kind, ctx: w, job: j, audit, rethrow: true })).rejects.toThrow(
      'step a broke',
    );
    expect((await store.load(j.jobId))?.status).toBe('failed');
    expect((await store.load(j.jobId))?.detail).toBe('step a broke');
  });

  it('rolls an interrupted job back, last step first, each undo safe where the step never ran', async () => {
    const w: World = { effects: [], log: [], failAt: 'c' };
    const j = job();
    expect((await runJob({ store, kind, ctx: w, job: j, audit })).status).toBe('failed');
    expect(w.effects).toEqual(['a', 'b']);
    const undone = await rollbackSteps({ kind, ctx: w });
    expect(w.log).toEqual(['run a', 'run b', 'run c', 'rollback c', 'rollback b', 'rollback a']);
    expect(undone).toEqual([
      { step: 'b', detail: 'b undone' },
      { step: 'a', detail: 'a undone' },
    ]);
    expect(w.effects).toEqual([]);
  });
});

describe('two console processes', () => {
  it('a job another process still reports is neither interrupted nor resumed; once it stops reporting, it is', async () => {
    const w: World = { effects: ['a'], log: [] };
    const j = job();
    await store.save({
      ...j,
      step: 'b',
      owner: 'lab2:4242:abcdef',
      state: { steps: { a: { status: 'done', detail: 'a done' }, b: { status: 'running', detail: '' } } },
    });
    const rec = (await store.load(j.jobId))!;
    expect(runsElsewhere(rec)).toBe(true);
    expect(isInterrupted(rec)).toBe(false);
    await expect(runJob({ store, kind, ctx: w, job: rec as SimpleJob, audit, resume: true })).rejects.toThrow(
      /Another console process \(process 4242 on lab2\) runs this job \(it reported \d+ s ago\)/,
    );
    // Refused without a trace: nothing ran, the row still names the other process.
    expect(w.log).toEqual([]);
    expect(isInterrupted(rec)).toBe(false);
    expect(await store.load(j.jobId)).toMatchObject({
      owner: 'lab2:4242:abcdef',
      step: 'b',
      status: 'running',
    });

    // The other process stopped reporting (killed, say): the job is interrupted, and resumes here.
    laterThanStale();
    expect(runsElsewhere(rec)).toBe(false);
    expect(isInterrupted(rec)).toBe(true);
    const end = await runJob({ store, kind, ctx: w, job: rec as SimpleJob, audit, resume: true });
    expect(end.status).toBe('succeeded');
    expect(w.log).toEqual(['run b', 'run c']);
  });

  it('the heartbeat touches the row while a step runs, and stops once another process took the job over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const long = defineJobKind<World>({
      kind: 'test-jobs-long',
      interrupted: 'interrupted',
      steps: [
        {
          id: 'long',
          run: async () => void (await gate),
          verify: async () => false,
          rollback: async () => null,
        },
        {
          id: 'next',
          run: async (w: World) => void w.log.push('run next'),
          verify: async () => false,
          rollback: async () => null,
        },
      ],
    });
    const j = { ...job(), kind: long.kind };
    const w: World = { effects: [], log: [] };
    const done = runJob({ store, kind: long, ctx: w, job: j, audit });
    await vi.advanceTimersByTimeAsync(0);
    const stored = async () => (await store.load(j.jobId))!;
    expect(await stored()).toMatchObject({ step: 'long', owner: PROCESS_ID });
    const t0 = (await stored()).updatedAt;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect((await stored()).updatedAt).toBeGreaterThanOrEqual(t0 + HEARTBEAT_MS);

    // This process was stopped past STALE_MS, and another console resumed the job meanwhile.
    await store.update(j.jobId, (r) => ({ ...r, owner: 'lab2:77:abcdef' }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t1 = (await stored()).updatedAt;
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
    expect((await stored()).updatedAt).toBe(t1);
    expect(warn.mock.calls).toEqual([
      [`[sipha] job ${j.jobId}: process 77 on lab2 took it over; this process stops reporting it`],
    ]);
    expect(w.log).toEqual([]);

    // When its step ends, it records nothing more, runs no further step, and says why.
    release();
    const end = await done;
    expect(w.log).toEqual([]);
    expect(await stored()).toMatchObject({ owner: 'lab2:77:abcdef', step: 'long', status: 'running' });
    expect((await stored()).state).toEqual({ steps: { long: { status: 'running', detail: '' } } });
    expect(end.state.steps.long?.status).toBe('running');
    expect(audits).toEqual([
      {
        action: 'test-jobs-long.long',
        target: 'lab',
        node: null,
        outcome: 'ok',
        detail: `(not recorded: Job ${j.jobId} was taken over by process 77 on lab2)`,
      },
    ]);
    expect(warn.mock.calls.at(-1)).toEqual([
      `[sipha] Job ${j.jobId} was taken over by process 77 on lab2: this process stops running it`,
    ]);
    warn.mockRestore();
  });

  it('a touch that hangs holds the next beat back: touches never pile up behind a hung node', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let answer!: (ok: boolean) => void;
    const touch = vi.fn(
      () =>
        new Promise<boolean>((r) => {
          answer = r;
        }),
    );
    const load = vi.fn(async () => null);
    track({ jobId: 'hung-touch', kind: 'test-jobs-hung', step: 'a', store: { touch, load } });
    await vi.advanceTimersByTimeAsync(4 * HEARTBEAT_MS);
    expect(touch).toHaveBeenCalledTimes(1);
    // Once it answers, the beat resumes one period later; once the job ends, it stops.
    answer(true);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(touch).toHaveBeenCalledTimes(2);
    answer(true);
    ended('hung-touch');
    await vi.advanceTimersByTimeAsync(4 * HEARTBEAT_MS);
    expect(touch).toHaveBeenCalledTimes(2);
    expect(load).not.toHaveBeenCalled();
  });

  it('runs here: this process is never "elsewhere", whatever the time', () => {
    const rec = { jobId: `own-${process.pid}`, step: 'a', owner: PROCESS_ID, updatedAt: Date.now() };
    expect(runsElsewhere(rec)).toBe(false);
    expect(runsElsewhere({ ...rec, owner: 'other' }, rec.updatedAt + STALE_MS - 1)).toBe(true);
    expect(runsElsewhere({ ...rec, owner: 'other' }, rec.updatedAt + STALE_MS)).toBe(false);
    expect(runsElsewhere({ ...rec, owner: 'other', step: null })).toBe(false);
  });
});

describe('the parts', () => {
  it('isInterrupted: a running step is interrupted unless this process runs the job at that step', () => {
    const jobId = `live-${process.pid}`;
    expect(isInterrupted({ jobId, step: null })).toBe(false);
    expect(isInterrupted({ jobId, step: 'a' })).toBe(true);
    track({ jobId, kind: kind.kind, step: 'a' });
    expect(isInterrupted({ jobId, step: 'a' })).toBe(false);
    expect(isInterrupted({ jobId, step: 'b' })).toBe(true);
    expect(() => track({ jobId, kind: kind.kind, step: 'b' })).toThrow(/still running/);
    ended(jobId);
    expect(isInterrupted({ jobId, step: 'a' })).toBe(true);
    expect(PROCESS_ID).toMatch(new RegExp(`^[A-Za-z0-9.-]{1,20}:${process.pid}:[0-9a-f]{6}$`));
    expect(PROCESS_ID.length).toBeLessThanOrEqual(36);
    expect(processWords(PROCESS_ID)).toBe(`process ${process.pid} on ${PROCESS_ID.split(':')[0]}`);
    expect(processWords('0f6c9a3e-5b1d-4f0e-9c1a-2b3c4d5e6f70')).toBe(
      'process 0f6c9a3e-5b1d-4f0e-9c1a-2b3c4d5e6f70',
    );
    expect(interruptedMessage(kind.kind)).toBe('interrupted: resume or roll back');
    expect(interruptedMessage('no-such-kind')).toMatch(/console stopped/);
  });

  it('runJobStep: records before and after, one audit row, the error passed on', async () => {
    const order: string[] = [];
    await expect(
      runJobStep({
        kind: 'k',
        step: 's',
        target: 't',
        node: 'd1',
        audit,
        begin: async () => {
          order.push('begin');
        },
        run: async () => {
          order.push('run');
          throw new Error('boom');
        },
        end: async (o) => {
          order.push(o.ok ? 'end ok' : 'end failed');
          return 'it broke';
        },
      }),
    ).rejects.toThrow('boom');
    expect(order).toEqual(['begin', 'run', 'end failed']);
    expect(audits).toEqual([
      { action: 'k.s', target: 't', node: 'd1', outcome: 'failed', detail: 'it broke' },
    ]);
  });

  it('runSteps follows a job’s own order; rollbackSteps undoes in reverse of the kind’s order', async () => {
    const w: World = { effects: [], log: [] };
    await runSteps({ kind, ctx: w, order: ['c', 'a'], runOne: async (s) => void (await s.run(w)) });
    expect(w.log).toEqual(['run c', 'run a']);
    const undone = await rollbackSteps({ kind, ctx: w });
    expect(undone.map((u) => u.step)).toEqual(['c', 'a']);
    await expect(runSteps({ kind, ctx: w, order: ['nope'], runOne: async () => undefined })).rejects.toThrow(
      /no step nope/,
    );
  });
});
