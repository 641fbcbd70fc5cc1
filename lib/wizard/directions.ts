import 'server-only';
import { explainReplicationError } from '../health/replication/advice';
import { normalizeReplicaStatus, type ReplicaStatus } from '../health/replication/status';
import { type AdminConn, withAdmins } from './admin';
import { choiceOf, links, runNodeConfigs, type StepArgs } from './context';
import { StepFailure } from './failure';
import type { StepIO } from './io';
import { requirePreflight } from './preflight';
import { setReplicationPassword } from './repl-user';
import { REPLICATION_USER, recallPassword } from './secrets';
import { replicaSemiSyncEnabled, restartIo, semiSyncState, waitReplicaSemiSync } from './semisync';

// Step 5: CHANGE MASTER … MASTER_USE_GTID=slave_pos (the dialect spells it per flavour), start,
// and wait until both threads run with empty last errors; then the next link. The first link
// that fails is stopped and explained, and no further link is touched. Where the replica has
// semi-sync enabled, its IO thread is restarted so it registers with its source as semi-sync.

export interface LinkResult {
  replica: string;
  source: string;
  io: string;
  sql: boolean;
  skipped?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function replicaStatus({ c, io }: { c: AdminConn; io: StepIO }): Promise<ReplicaStatus | null> {
  const [row] = await io.read(c, c.dialect.replicaStatus(), { quiet: true });
  return row ? normalizeReplicaStatus(c.version.flavor, row) : null;
}

/** Polls until both threads run (ok), an error shows (explained), or the time is up. */
export async function waitThreads({
  c,
  io,
  source,
  timeoutMs = 20_000,
}: {
  c: AdminConn;
  io: StepIO;
  source: string;
  timeoutMs?: number;
}): Promise<ReplicaStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await replicaStatus({ c, io });
    if (s?.ioRunning === 'Yes' && s.sqlRunning && !s.lastIoErrno && !s.lastSqlErrno) return s;
    const errno = s?.lastIoErrno || s?.lastSqlErrno;
    if (s && (errno || Date.now() > deadline)) {
      const message = s.lastIoErrno ? s.lastIoError : s.lastSqlError;
      const ex = explainReplicationError({
        errno: errno || null,
        message: message || null,
        direction: { from: source, to: c.name },
        flavor: c.version.flavor,
      });
      await io.exec(c, c.dialect.stopReplica());
      throw new StepFailure(
        `${c.name} could not replicate from ${source}: ${errno ? `error ${errno}: ${message}` : `IO thread ${s.ioRunning}, SQL thread ${s.sqlRunning ? 'running' : 'stopped'} after ${timeoutMs / 1000} s`}. Replication on ${c.name} was stopped again; no further direction was set up.`,
        { title: ex.title, meaning: ex.meaning, fix: ex.fix },
      );
    }
    if (!s) throw new StepFailure(`${c.name} shows no replica status after START SLAVE.`);
    await sleep(250);
  }
}

/**
 * A ring node copied from the first node reads the node before it, which must first have
 * applied (and so logged) what moved between their two snapshots.
 */
async function waitForSource({ io, source, waitFor }: { io: StepIO; source: AdminConn; waitFor: string }) {
  if (!waitFor) return;
  const [r] = await io.read(source, source.dialect.waitForGtid({ gtid: waitFor, timeoutSeconds: 30 }));
  if (Number(r?.result) !== 0)
    throw new StepFailure(
      `${source.name} has not applied ${waitFor} from the first node within 30 s; check its replication, then run this step again.`,
    );
}

async function semiSyncRegistered({ c, io, source }: { c: AdminConn; io: StepIO; source: string }) {
  io.note(
    c.name,
    (await waitReplicaSemiSync({ c, io }))
      ? `IO thread restarted: acknowledges ${source}'s commits as a semi-sync replica`
      : `IO thread restarted, but it does not report semi-sync on; Verify shows whether ${source} waits for it`,
  );
}

export async function runDirectionsStep({ ctx, run, io }: StepArgs): Promise<{ links: LinkResult[] }> {
  await requirePreflight({ ctx, run, io });
  return withAdmins(ctx, runNodeConfigs(ctx, run), async (conns) => {
    const out: LinkResult[] = [];
    for (const l of links(run.nodes.map((n) => n.name))) {
      const replica = conns.get(l.replica)!;
      const src = choiceOf(run, l.source);
      const now = await replicaStatus({ c: replica, io });
      const sameSource =
        now && now.sourceHost === src.replicationHost && now.sourcePort === src.replicationPort;
      if (sameSource && now.ioRunning === 'Yes' && now.sqlRunning && !now.lastIoErrno && !now.lastSqlErrno) {
        io.note(l.replica, `already replicating from ${l.source}: left as it is`);
        // Semi-sync enabled after this link started: the running IO thread does not acknowledge yet.
        if (
          (await replicaSemiSyncEnabled({ c: replica, io })) &&
          !(await semiSyncState({ c: replica, io })).replicaStatus
        ) {
          await restartIo({ c: replica, io });
          if (!io.dryRun) await semiSyncRegistered({ c: replica, io, source: l.source });
        }
        out.push({ replica: l.replica, source: l.source, io: 'Yes', sql: true, skipped: true });
        continue;
      }
      const copy = (run.steps.data.result?.copies ?? []).find(
        (c: { target: string; source: string; via: string }) => c.target === l.replica && c.via !== c.source,
      );
      if (copy) await waitForSource({ io, source: conns.get(l.source)!, waitFor: copy.waitFor });
      const password =
        recallPassword({ runId: run.runId, source: l.source, replica: l.replica }) ??
        (await setReplicationPassword({
          io,
          c: conns.get(l.source)!,
          runId: run.runId,
          source: l.source,
          replica: l.replica,
          host: choiceOf(run, l.replica).replicationHost,
        }));
      await io.exec(replica, replica.dialect.stopReplica());
      await io.exec(
        replica,
        replica.dialect.changeSource({
          host: src.replicationHost,
          port: src.replicationPort,
          user: REPLICATION_USER,
          password,
        }),
      );
      await io.exec(replica, replica.dialect.startReplica());
      const semiSync = await replicaSemiSyncEnabled({ c: replica, io });
      if (io.dryRun) {
        if (semiSync) await restartIo({ c: replica, io });
        continue;
      }
      let s = await waitThreads({ c: replica, io, source: l.source });
      if (semiSync) {
        await restartIo({ c: replica, io });
        s = await waitThreads({ c: replica, io, source: l.source });
        await semiSyncRegistered({ c: replica, io, source: l.source });
      }
      io.note(l.replica, `replicating from ${l.source}: IO ${s.ioRunning}, SQL running, no errors`);
      out.push({ replica: l.replica, source: l.source, io: s.ioRunning, sql: s.sqlRunning });
    }
    return { links: out };
  });
}
