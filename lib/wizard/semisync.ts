import 'server-only';
import type { AdminConn } from './admin';
import type { StepIO } from './io';
import type { SemiSyncSource } from './semisync-summary';

// Semi-sync in the directions and verify steps. The replica's IO thread decides whether it
// acknowledges when it connects, so after enabling semi-sync the thread is restarted; the
// source's status then shows whether commits really wait for a peer. Reads are quiet: a
// re-run of a healthy step must log nothing but notes.

const on = (v: unknown) => v === 1 || v === '1' || String(v).toUpperCase() === 'ON';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SemiSyncState {
  sourceStatus: boolean;
  clients: number;
  yesTx: number;
  noTx: number;
  replicaStatus: boolean;
}

export async function semiSyncState({ c, io }: { c: AdminConn; io: StepIO }): Promise<SemiSyncState> {
  const [r = {}] = await io.read(c, c.dialect.semiSyncStatus(), { quiet: true });
  return {
    sourceStatus: on(r.source_status),
    clients: Number(r.source_clients ?? 0),
    yesTx: Number(r.source_yes_tx ?? 0),
    noTx: Number(r.source_no_tx ?? 0),
    replicaStatus: on(r.replica_status),
  };
}

/** Whether this node is set to acknowledge as a semi-sync replica (false if the plugin is absent). */
export async function replicaSemiSyncEnabled({ c, io }: { c: AdminConn; io: StepIO }): Promise<boolean> {
  const [r] = await io.read(c, c.dialect.semiSyncReplicaEnabled(), { quiet: true });
  return on(r?.replica_enabled);
}

/** STOP/START the IO thread (shown in the log) so the replica registers as semi-sync. */
export async function restartIo({ c, io }: { c: AdminConn; io: StepIO }): Promise<void> {
  for (const s of c.dialect.restartReplicaIo()) await io.exec(c, s);
}

/** After the IO thread (re)connected: wait briefly until it reports semi-sync on. */
export async function waitReplicaSemiSync({
  c,
  io,
  timeoutMs = 5000,
}: {
  c: AdminConn;
  io: StepIO;
  timeoutMs?: number;
}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await semiSyncState({ c, io })).replicaStatus) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

/**
 * Every source's semi-sync state. A source turns its status ON once a semi-sync replica has
 * caught up, which follows the probe rows by a moment: polled for a few seconds.
 */
export async function semiSyncSources({
  conns,
  io,
  timeoutMs = 5000,
}: {
  conns: AdminConn[];
  io: StepIO;
  timeoutMs?: number;
}): Promise<SemiSyncSource[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out: SemiSyncSource[] = [];
    for (const c of conns) {
      const s = await semiSyncState({ c, io });
      out.push({
        node: c.name,
        status: s.sourceStatus,
        clients: s.clients,
        yesTx: s.yesTx,
        noTx: s.noTx,
        ok: s.sourceStatus && s.clients >= 1,
      });
    }
    if (out.every((s) => s.ok) || Date.now() > deadline || io.dryRun) return out;
    await sleep(200);
  }
}
