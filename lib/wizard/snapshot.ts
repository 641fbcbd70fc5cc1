import 'server-only';
import { ringStartPosition } from '../dialect';
import { normalizeReplicaStatus } from '../health/replication/status';
import { type AdminConn, withAdmins } from './admin';
import { checksumTables, listTables } from './checksum';
import { links, runNodeConfigs, type WizardContext } from './context';
import { StepFailure } from './failure';
import type { StepIO } from './io';
import { requirePreflight } from './preflight';
import { type CopiedTable, copySnapshot, type SnapshotPosition } from './snapshot-copy';
import type { DataMode, RunState } from './types';

// Step 4: each node gets the data of the node it will replicate from (down the list), and
// its replica start position. "copy" streams a consistent snapshot over SQL; "operator" and
// "identical" verify the SIP tables by checksums and only copy sipha's own tables (which the
// console writes all the time) from a snapshot that also gives the position.

export interface DataResult {
  mode: DataMode;
  copies: {
    source: string;
    target: string;
    /** The node the target will replicate from (the one before it in the ring). */
    via: string;
    position: SnapshotPosition;
    tables: CopiedTable[];
    /** The target's own binlog position when its copy ended. */
    targetPos: string;
    /** Where the target starts replicating from `via`. */
    startPos: string;
    /** Ring only: what `via` must have applied before this node may read it. */
    waitFor: string;
  }[];
  closing?: { replica: string; source: string; gtid: string };
}

const isSipha = (t: string) => t.startsWith('sipha_');

async function refuseIfReplicating({ conns, io }: { conns: AdminConn[]; io: StepIO }) {
  for (const c of conns) {
    const [row] = await io.read(c, c.dialect.replicaStatus(), { quiet: true });
    if (!row) continue;
    const s = normalizeReplicaStatus(c.version.flavor, row);
    if (s.ioRunning !== 'No' || s.sqlRunning)
      throw new StepFailure(
        `${c.name} is replicating already; copying over it would break it. Use "Tear down" first; nothing was changed.`,
      );
  }
}

async function verifySame({
  source,
  target,
  io,
  database,
  when,
}: {
  source: AdminConn;
  target: AdminConn;
  io: StepIO;
  database: string;
  when: string;
}) {
  const tables = (await listTables({ c: source, io, database })).filter((t) => !isSipha(t));
  const sums = await checksumTables({ conns: [source, target], io, database, tables });
  const bad = sums.filter((s) => !s.equal);
  if (bad.length && !io.dryRun)
    throw new StepFailure(
      `${when}: ${bad.map((b) => b.table).join(', ')} differ between ${source.name} and ${target.name} (CHECKSUM TABLE). ` +
        'Make sure nothing writes to either node, finish the copy, and re-run this step.',
    );
}

export async function runDataStep({
  ctx,
  run,
  io,
  mode,
}: {
  ctx: WizardContext;
  run: RunState;
  io: StepIO;
  mode: DataMode;
}): Promise<DataResult> {
  await requirePreflight({ ctx, run, io });
  const nodes = runNodeConfigs(ctx, run);
  const database = nodes[0]!.database;
  return withAdmins(ctx, nodes, async (conns) => {
    await refuseIfReplicating({ conns: [...conns.values()], io });
    const all = links(run.nodes.map((n) => n.name));
    const forward = all.slice(0, -1);
    const closing = all[all.length - 1]!;
    const copies: DataResult['copies'] = [];
    // Every target is copied from the first node, so no node's data depends on a node in the
    // middle of the ring that may take local writes (the console's heartbeat does) meanwhile.
    const source = conns.get(closing.replica)!;
    const domains = new Map<string, number>();
    for (const c of conns.values())
      domains.set(
        c.name,
        Number((await io.read(c, c.dialect.gtidPreflight(), { quiet: true }))[0]?.gtid_domain_id ?? -1),
      );
    for (const [i, l] of forward.entries()) {
      const target = conns.get(l.replica)!;
      const onRows = (done: number, total: number, table: string) =>
        io.progress({
          label: `${source.name} → ${l.replica}: ${table}`,
          done: done + i * total,
          total: total * forward.length,
        });
      if (mode !== 'copy') await verifySame({ source, target, io, database, when: 'Before the snapshot' });
      const copy = await copySnapshot({
        source,
        target,
        database,
        io,
        onRows,
        ...(mode === 'copy' ? {} : { filter: isSipha }),
      });
      if (mode !== 'copy') await verifySame({ source, target, io, database, when: 'After the snapshot' });
      const mariadbPositions = target.dialect.gtidModel === 'domain-list';
      const prev = copies[copies.length - 1];
      const ring =
        prev && mariadbPositions
          ? ringStartPosition({
              snapshot: copy.position.gtid,
              prevSnapshot: prev.position.gtid,
              prevEnd: prev.targetPos,
              middleDomains: copies.map((c) => domains.get(c.target)!),
            })
          : null;
      const startPos = ring ? ring.start : copy.position.gtid;
      await io.exec(target, target.dialect.stopReplica());
      for (const s of target.dialect.setReplicaStartPosition({ gtid: startPos })) await io.exec(target, s);
      copies.push({
        source: source.name,
        target: l.replica,
        via: l.source,
        ...copy,
        startPos,
        waitFor: ring?.waitFor ?? '',
      });
    }
    // The first node reads the last one's binlog from where it stood when its copy ended:
    // every later write there (its own, or relayed round the ring) is new to the first node.
    const first = conns.get(closing.replica)!;
    const lastCopy = copies[copies.length - 1]!;
    let result: DataResult['closing'];
    if (first.dialect.gtidModel === 'domain-list') {
      const gtid = lastCopy.targetPos;
      await io.exec(first, first.dialect.stopReplica());
      for (const s of first.dialect.setReplicaStartPosition({ gtid })) await io.exec(first, s);
      result = { replica: closing.replica, source: closing.source, gtid };
    } else io.note(first.name, 'auto-positioning: the replica sends its own executed GTIDs');
    io.progress({ label: 'done', done: 1, total: 1 });
    return { mode, copies, ...(result ? { closing: result } : {}) };
  });
}

/** What an operator runs for the "operator-made copy" path (passwords are prompted for). */
export function operatorCommands({ ctx, run }: { ctx: WizardContext; run: RunState }): string[] {
  const nodes = runNodeConfigs(ctx, run);
  return links(run.nodes.map((n) => n.name))
    .slice(0, -1)
    .map((l) => {
      const s = nodes.find((n) => n.name === l.source)!;
      const t = nodes.find((n) => n.name === l.replica)!;
      return (
        `mariadb -h ${t.host} -P ${t.port} -u ${t.user} -p -e 'CREATE DATABASE IF NOT EXISTS ${s.database}'; ` +
        `mariadb-dump --single-transaction --gtid --master-data=2 -h ${s.host} -P ${s.port} -u ${s.user} -p ${s.database} ` +
        `$(mariadb -N -h ${s.host} -P ${s.port} -u ${s.user} -p -e "SELECT table_name FROM information_schema.tables WHERE table_schema = '${s.database}' AND table_name NOT LIKE 'sipha\\_%'") ` +
        `| mariadb -h ${t.host} -P ${t.port} -u ${t.user} -p ${s.database}` +
        `   (or mariadb-backup --backup / --prepare on ${s.name} and copy the datadir to ${t.name})`
      );
    });
}
