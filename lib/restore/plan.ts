import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import { gtidBehind } from './gtid';
import { nodeCtx, positions } from './node-io';
import { planReplication } from './replicate';
import type { RestoreKind, RestoreProcedure, RunView, StepId, StepView } from './types';

// What a run will do, step by step, before anything runs (the page shows it for confirmation).

const TITLES: Record<StepId, string> = {
  replicate: 'Replicate from the survivor',
  catch_up: 'Catch up while the survivor takes writes',
  precheck: 'Compare subscriber before locking',
  blockers: 'Look for what would stall the lock',
  snapshot: 'Brief lock: both nodes in snapshots at one GTID position',
  verify_chunks: 'Verify outside the lock: chunked checksums in the snapshots',
  lock: 'Read-lock the survivor',
  final_wait: "Apply the survivor's final position",
  verify: 'Verify: GTID and CHECKSUM TABLE',
  switch: 'Switch the active node',
  unlock: 'Unlock the survivor',
};

export const ORDER: Record<RestoreProcedure, StepId[]> = {
  sipha: [
    'replicate',
    'catch_up',
    'precheck',
    'blockers',
    'snapshot',
    'verify_chunks',
    'lock',
    'final_wait',
    'verify',
    'switch',
    'unlock',
  ],
  // Appendix A as written: lock first, then bring the node up to date under the lock.
  paper: ['blockers', 'lock', 'replicate', 'final_wait', 'verify', 'switch', 'unlock'],
};

export interface Roles {
  target: string;
  survivor: string;
}

/** Which node is locked and which one comes back, or why the run cannot start. */
export function resolveRoles({
  list,
  kind,
  target,
}: {
  list: ConnectionList;
  kind: RestoreKind;
  target: string;
}): Roles {
  const t = list.node(target);
  const active = list.active();
  if (t.reachable === false)
    throw new AppError('conflict:state', `${target} does not answer; start it first.`);
  if (!active || active.handle.name === target)
    throw new AppError('conflict:state', `${target} is already the active node.`);
  const survivor = active.handle.name;
  const idx = (n: string) => list.nodes.findIndex((x) => x.handle.name === n);
  if (kind === 'restore') {
    if (!list.isFenced(target))
      throw new AppError('conflict:state', `${target} is not fenced: use a planned switchover instead.`);
    // Unfencing a node below the active one would write the fence state to the locked survivor.
    if (idx(target) > idx(survivor))
      throw new AppError(
        'conflict:state',
        `${target} comes after ${survivor} in the connection list; it would not become active.`,
      );
  } else {
    if (list.isFenced(target))
      throw new AppError('conflict:state', `${target} is fenced: restore it instead.`);
    const next = list.nodes.find(
      (n) => n.handle.name !== survivor && n.reachable !== false && !list.isFenced(n.handle.name),
    );
    if (next?.handle.name !== target)
      throw new AppError(
        'conflict:state',
        `Fencing ${survivor} would make ${next?.handle.name ?? 'no node'} active, not ${target}.`,
      );
  }
  return { target, survivor };
}

export async function planRun({
  list,
  kind,
  procedure,
  target,
  actor,
  leaseMs,
  runId,
  checksumInLock = false,
}: {
  list: ConnectionList;
  kind: RestoreKind;
  procedure: RestoreProcedure;
  target: string;
  actor: string;
  leaseMs: number;
  runId: string;
  /** Today's procedure before issue 16, kept as the benchmark's baseline. */
  checksumInLock?: boolean;
}): Promise<RunView> {
  await list.ready();
  const roles = resolveRoles({ list, kind, target });
  const [t, s] = await Promise.all([
    nodeCtx({ list, name: roles.target }),
    nodeCtx({ list, name: roles.survivor }),
  ]);
  const [repl, sp, tp] = await Promise.all([
    planReplication({ target: t, survivor: s }),
    positions(s),
    positions(t),
  ]);
  const order = ORDER[procedure].filter(
    (id) => !checksumInLock || (id !== 'snapshot' && id !== 'verify_chunks'),
  );
  const snapshotMode = order.includes('verify_chunks');
  const behind = gtidBehind({ survivor: sp.binlog, target: tp.binlog }) ?? 0;
  const what: Record<StepId, { plan: string; statements: string[] }> = {
    replicate: {
      plan: repl.reason + (repl.action === 'none' ? ': nothing to do.' : '.'),
      statements: repl.statements,
    },
    catch_up: {
      plan: `Wait until ${t.name} has applied everything ${s.name} has logged (${behind} transactions behind now); ${s.name} keeps taking writes.`,
      statements: [t.dialect.waitForGtid({ gtid: '<survivor position>', timeoutSeconds: 1 }).display],
    },
    precheck: {
      plan: `CHECKSUM TABLE subscriber on both nodes; a difference stops the run before any lock.`,
      statements: ['CHECKSUM TABLE subscriber'],
    },
    blockers: {
      plan: `List long transactions on ${s.name} and sessions of accounts that bypass read_only.`,
      statements: [
        'SELECT ... FROM information_schema.INNODB_TRX',
        s.dialect.readOnlyBypassAccounts().display,
      ],
    },
    snapshot: {
      plan: `FLUSH TABLES WITH READ LOCK on ${s.name}; ${t.name} applies its final position; START TRANSACTION WITH CONSISTENT SNAPSHOT on both; UNLOCK TABLES at once (a few ms).`,
      statements: [
        'FLUSH TABLES WITH READ LOCK',
        t.dialect.waitForGtid({ gtid: '<locked position>', timeoutSeconds: 1 }).display,
        'START TRANSACTION WITH CONSISTENT SNAPSHOT',
        'UNLOCK TABLES',
      ],
    },
    verify_chunks: {
      plan: `Checksums of subscriber and location in chunks of primary-key ranges, inside both snapshots, while ${s.name} takes writes; differing chunks are read row by row and listed. Nothing is changed.`,
      statements: ['SELECT COUNT(*), BIT_XOR(MD5 of each row) FROM … WHERE id > ? AND id <= ?'],
    },
    lock: {
      plan: `FLUSH TABLES WITH READ LOCK on ${s.name}, on a connection of the console's own; lease ${Math.round(leaseMs / 1000)} s, then it unlocks by itself and the run aborts.`,
      statements: ['FLUSH TABLES WITH READ LOCK', s.dialect.gtidPositions().display],
    },
    final_wait: {
      plan: `Wait until ${t.name} has applied ${s.name}'s final position (bounded by the lease).`,
      statements: [t.dialect.waitForGtid({ gtid: '<final position>', timeoutSeconds: 1 }).display],
    },
    verify: snapshotMode
      ? {
          plan: `GTID only: ${t.name} holds ${s.name}'s final position and has logged nothing of its own since its snapshot, so it is identical to the snapshot plus the same transactions. Any difference aborts and unlocks.`,
          statements: [t.dialect.gtidPositions().display],
        }
      : {
          plan: `GTID positions and CHECKSUM TABLE subscriber, location on both nodes; any difference aborts, unlocks and shows the rows. Nothing is deleted.`,
          statements: ['CHECKSUM TABLE subscriber, location', t.dialect.gtidPositions().display],
        },
    switch:
      kind === 'restore'
        ? {
            plan: `Unfence ${t.name}: it becomes the active node; read_only OFF on ${t.name}; semi-sync wait back ON on ${s.name}.`,
            statements: [
              ...t.dialect.setReadOnly({ on: false }).map((x) => x.display),
              s.dialect.setSemiSyncSourceWait({ on: true }).display,
            ],
          }
        : {
            plan: `Fence ${s.name} (planned switchover): ${t.name} becomes the active node; ${s.name} gets read_only=ON after the unlock.`,
            statements: [],
          },
    unlock: {
      plan: `UNLOCK TABLES on ${s.name}; the read-lock window is measured from FTWRL to UNLOCK.`,
      statements: ['UNLOCK TABLES'],
    },
  };
  const steps: StepView[] = order.map((id) => ({
    id,
    title: id === 'verify' && snapshotMode ? 'Verify under the lock: GTID positions only' : TITLES[id],
    ...what[id],
    status: 'pending',
    detail: '',
    startedAt: null,
    ms: null,
  }));
  return {
    runId,
    kind,
    procedure,
    target: roles.target,
    survivor: roles.survivor,
    status: 'running',
    phase: steps[0]!.id,
    steps,
    gap: { survivor: sp.binlog, target: tp.binlog, behind, initial: behind },
    blockers: [],
    verify: null,
    lockWindowMs: null,
    lockLeaseEndsAt: null,
    message: 'Planned; not started.',
    warnings: [],
    createdBy: actor,
    createdAt: Date.now(),
    finishedAt: null,
  };
}
