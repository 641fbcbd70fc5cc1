import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STALE_MS } from '@/lib/jobs/interrupted';
import { adminQuery, load, register } from '../../lab/index.ts';
import { seedUsers } from '../../lab/schema.ts';
import type { ShardRange } from '../../lib/shards/placement.ts';
import { type Lab, useLab } from '../helpers/lab';
import { until } from '../helpers/poll';

// Issue 14: a move survives its console. A real console process (test/helpers/move-child.ts)
// runs a move and is SIGKILLed in the middle of it, after the first stage was flipped to the
// target; this process, a console of its own, finds the move interrupted and resumes it, or rolls
// it back, while phones register and call through the first stage. Two clusters behind f1: c1
// (d1, d2, p1, p2) holds user1000…user1049, c2 (d3, d4, p3, p4) user1050…user1099.

let lab: () => Lab;
let moves: typeof import('@/lib/shards/move');
let map: typeof import('@/lib/shards/map');

const dir = () => lab().dir;
const users = (from: number, to: number) => seedUsers(100).slice(from - 1000, to - 1000 + 1);

/** How the page names the killed console process: "process <its pid> on <host>". */
let childProcess: unknown;

/** Starts a move in a console process of its own and kills it (SIGKILL) once `phase` runs. */
async function moveKilledAt(ranges: ShardRange[], phase: string): Promise<string> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'test/helpers/move-child.ts'],
    {
      env: {
        ...process.env,
        SIPHA_CONFIG: lab().state.configPath,
        NODE_OPTIONS: '',
        SIPHA_TEST_RANGES: JSON.stringify(ranges),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  childProcess = expect.stringMatching(new RegExp(`^process ${child.pid} on \\S+$`));
  let out = '';
  child.stdout?.on('data', (b) => {
    out += b;
  });
  child.stderr?.on('data', (b) => {
    out += b;
  });
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
  try {
    await until(
      `the child console's move at ${phase}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`the child console ended:\n${out}`);
        const id = /started (\S+)/.exec(out)?.[1];
        const m = id ? await moves.getMove(id) : undefined;
        return m?.steps.find((s) => s.id === phase)?.status === 'running';
      },
      60_000,
    );
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  return /started (\S+)/.exec(out)![1]!;
}

/**
 * Right after its console was killed, the move still reads as running in that process (its row
 * was touched within STALE_MS): not offered, not resumed. Once the row goes quiet, it is
 * interrupted. Returns the interrupted move.
 */
async function quietThenInterrupted(id: string) {
  const [m] = await moves.unfinishedMoves();
  if (m?.status === 'running') {
    expect(m).toMatchObject({ moveId: id, elsewhere: childProcess, inProgress: false });
    expect(moves.rollbackRefusal(m)).toMatch(/Another console process \(process \d+ on .+\) runs the move/);
    await expect(moves.launchMove(id, 'test')).rejects.toThrow(
      /Another console process \(process \d+ on .+\) runs this job/,
    );
  }
  await until(
    'the killed console’s move to read as interrupted',
    async () => (await moves.unfinishedMoves())[0]?.status === 'interrupted',
    STALE_MS + 10_000,
  );
  return (await moves.unfinishedMoves())[0];
}

const owner = (username: string) =>
  map.firstStageOwner(lab().state.firstStage!.rpcUrl, { username, domain: lab().state.domain });

async function rows(node: string, sql: string): Promise<string[]> {
  return (await adminQuery(dir(), node, sql)).map((r) => Object.values(r).join(' ')).sort();
}

const count = async (node: string, table: string, where: string) =>
  Number((await adminQuery(dir(), node, `SELECT COUNT(*) AS n FROM kamailio.${table} WHERE ${where}`))[0].n);

describe('an online move whose console is killed', () => {
  lab = useLab({ clusters: 2 });

  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    moves = await import('@/lib/shards/move');
    map = await import('@/lib/shards/map');
  });

  afterAll(async () => {
    const { clusters, connectionListOf } = await import('@/lib/clusters/registry');
    for (const c of clusters()) await (await connectionListOf(c.name)).close();
    delete (globalThis as { __siphaList?: unknown }).__siphaList;
    delete (globalThis as { __siphaClusterLists?: unknown }).__siphaClusterLists;
  });

  it('is found interrupted by the next console, which resumes it: nothing lost, no REGISTER or call failed', async () => {
    const moving = "username BETWEEN 'user1075' AND 'user1099'";
    // Every moving user registered at c2 before the move (one contact each, kept for the check).
    expect(await register(dir(), { site: 'f1', users: users(1075, 1097) })).toEqual({ ok: 23, failed: 0 });
    const before = await rows('d3', `SELECT username, contact FROM kamailio.location WHERE ${moving}`);
    expect(before).toHaveLength(23);
    // REGISTERs for everyone, and a call a second from user1098 to user1099, both moving.
    const running = load(dir(), { site: 'f1', rate: 30, users: 100, duration: 60, calls: 1 });
    await new Promise((r) => setTimeout(r, 3000));
    const id = await moveKilledAt(
      [
        { from: '', cluster: 'c1' },
        { from: 'user1050', cluster: 'c2' },
        { from: 'user1075', cluster: 'c1' },
      ],
      'catchup',
    );
    // Killed within a heartbeat of its last touch: still reported as running there at first.
    const [first] = await moves.unfinishedMoves();
    expect(first).toMatchObject({ moveId: id, status: 'running', elsewhere: childProcess });
    const m = await quietThenInterrupted(id);
    expect(m).toMatchObject({ moveId: id, status: 'interrupted', mode: 'move', phase: 'catchup' });
    expect(m!.committed).toBe(false);
    expect(m!.steps.filter((s) => s.status === 'done').map((s) => s.id)).toEqual(['pin', 'copy', 'flip']);
    // While nobody runs the move, the first stage keeps the flip: moved users register at c1.
    expect(await register(dir(), { site: 'f1', users: users(1080, 1080) })).toEqual({ ok: 1, failed: 0 });
    expect(await owner('user1080')).toBe('c1');
    expect(await count('d1', 'location', "username = 'user1080'")).toBeGreaterThan(0);
    const done = await moves.runMove(id, 'test');
    expect(done.status).toBe('done');
    expect(done.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done']);
    const r = await running;
    expect(r.failed).toBe(0);
    expect(r.ok).toBe(r.sent);
    expect(r.calls?.attempted).toBeGreaterThan(0);
    expect(r.calls).toMatchObject({ failed: 0, answered: r.calls?.attempted, atCallee: r.calls?.attempted });
    // Nothing lost: every registration made before the move is on c1 now, and c2 holds none of them.
    const after = await rows('d1', `SELECT username, contact FROM kamailio.location WHERE ${moving}`);
    for (const b of before) expect(after).toContain(b);
    expect(await count('d1', 'subscriber', moving)).toBe(25);
    expect(await count('d3', 'subscriber', moving)).toBe(0);
    expect(await count('d3', 'location', moving)).toBe(0);
    const now = await map.readMap();
    expect([now.overrides.size, now.moving.size]).toEqual([0, 0]);
    await expect(moves.launchRollback(id, 'test')).rejects.toThrow(/has ended/);
  });

  it('is rolled back by the next console: the users are on their old cluster with every registration', async () => {
    const moving = "username BETWEEN 'user1050' AND 'user1074'";
    const versionBefore = (await map.readMap()).ranges;
    expect(await register(dir(), { site: 'f1', users: users(1050, 1074) })).toEqual({ ok: 25, failed: 0 });
    const running = load(dir(), { site: 'f1', rate: 30, users: 100, duration: 55 });
    await new Promise((r) => setTimeout(r, 3000));
    const id = await moveKilledAt([{ from: '', cluster: 'c1' }], 'catchup');
    const m = await quietThenInterrupted(id);
    expect(m).toMatchObject({ moveId: id, status: 'interrupted', mode: 'move', committed: false });
    expect(moves.rollbackRefusal(m!)).toBeNull();
    // A registration made at the target after the flip: the rollback must carry it back.
    expect(await register(dir(), { site: 'f1', users: users(1060, 1060) })).toEqual({ ok: 1, failed: 0 });
    const atTarget = await rows('d1', `SELECT username, contact FROM kamailio.location WHERE ${moving}`);
    const back = await moves.rollbackMove(id, 'test');
    expect(back.status).toBe('rolled_back');
    expect(back.steps.map((s) => [s.id, s.status])).toEqual([
      ['repin', 'done'],
      ['copyback', 'done'],
      ['uncopy', 'done'],
      ['unpin', 'done'],
    ]);
    const r = await running;
    expect(r.failed).toBe(0);
    expect(r.ok).toBe(r.sent);
    const atSource = await rows('d3', `SELECT username, contact FROM kamailio.location WHERE ${moving}`);
    for (const a of atTarget) expect(atSource).toContain(a);
    expect(await count('d3', 'subscriber', moving)).toBe(25);
    expect(await count('d1', 'subscriber', moving)).toBe(0);
    expect(await count('d1', 'location', moving)).toBe(0);
    const now = await map.readMap();
    expect([now.overrides.size, now.moving.size]).toEqual([0, 0]);
    expect(now.ranges).toEqual(versionBefore);
    expect(await owner('user1060')).toBe('c2');
    expect(await register(dir(), { site: 'f1', users: users(1061, 1061) })).toEqual({ ok: 1, failed: 0 });
    expect(await count('d3', 'location', "username = 'user1061'")).toBeGreaterThan(0);
    expect(await moves.unfinishedMoves()).toEqual([]);
    // One audit row per step of the rollback, between its start and its end.
    const audited = await adminQuery(
      dir(),
      'd1',
      "SELECT action, outcome FROM kamailio.sipha_audit WHERE action LIKE 'shards.move.rollback%' ORDER BY id",
    );
    expect(audited.map((a) => `${a.action} ${a.outcome}`)).toEqual(
      ['start', 'repin', 'copyback', 'uncopy', 'unpin', 'finish'].map((s) => `shards.move.rollback.${s} ok`),
    );
  });
});
