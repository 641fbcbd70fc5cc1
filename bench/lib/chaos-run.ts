// One chaos run: a lab in network namespaces (this process is the console, on the bridge), the
// connection list under load, a seeded schedule of real faults, and after each round: heal,
// restore through the console's own restore when a node is fenced, and check the history.
// The single-probe baseline observes the same rounds in the same process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, down, type LabState, load, seedUsers, status, up } from '../../lab/index.ts';
import { getConfig } from '../../lib/config/load.ts';
import type { ConnectionList } from '../../lib/db/connection-list.ts';
import { closeConnectionList, getConnectionList } from '../../lib/db/index.ts';
import { SipDbSync } from '../../lib/health/sip-db.ts';
import { applyRepair, previewRepair } from '../../lib/restore/repair.ts';
import { runRestore } from '../../lib/restore/run-restore.ts';
import { SingleProbeDetector } from './chaos-baseline.ts';
import { checkAcks, converge, differing, missingRegistrations } from './chaos-check.ts';
import { inject, repair } from './chaos-faults.ts';
import { startWriters } from './chaos-load.ts';
import { type Fault, failoverAllowed, type Round, schedule } from './chaos-schedule.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RoundResult extends Round {
  failover: boolean;
  falseFailover: boolean;
  detectionMs: number | null;
  baselineFailover: boolean;
  baselineFalse: boolean;
  baselineDetectionMs: number | null;
  acked: number;
  failedWrites: number;
  lost: number;
  duplicated: number;
  writesOnFenced: number;
  unflaggedDivergence: number;
  /** The nodes differ and the console holds the pair as "needs verification" (a two-writer window). */
  flaggedDivergence: number;
  missingRegistrations: number;
  /** 'repaired': the restore succeeded after the console's location merge. */
  restore: 'none' | 'succeeded' | 'repaired' | 'failed';
}

async function until(fn: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await sleep(50);
  }
  return false;
}

async function oneRound(
  dir: string,
  list: ConnectionList,
  sync: SipDbSync,
  base: SingleProbeDetector,
  r: Round,
) {
  base.reset();
  const active = list.active()?.handle.name ?? 'd1';
  const peer = list.nodes.map((n) => n.handle.name).find((n) => n !== active)!;
  const writers = startWriters(list, `r${r.n}`);
  const sip = load(dir, { site: 'p1', rate: 280, users: 100, duration: Math.ceil(r.ms / 1000) + 4 }).catch(
    () => null,
  );
  await sleep(1000);
  let t0 = 0;
  let downAt: number | null = null;
  let fencedAt: number | null = null;
  // Which node each SIP server uses (the console's sync reads it every second): a switch the
  // console did not make is the two-writer window the check must find flagged.
  const using = new Map(sync.snapshot().map((d) => [d.server, d.using]));
  const watch = setInterval(() => {
    if (downAt === null && list.node(active).reachable === false) downAt = performance.now();
    if (fencedAt === null && list.isFenced(active)) fencedAt = performance.now();
    for (const d of sync.snapshot())
      if (using.get(d.server) !== d.using) {
        using.set(d.server, d.using);
        const when = t0 ? `+${(performance.now() - t0).toFixed(0)} ms` : 'before the fault';
        console.log(`  round ${r.n}: ${d.server} uses ${d.using ?? '?'} from ${when}`);
      }
  }, 10);
  await inject(dir, r, active, peer, () => {
    t0 = performance.now();
  });
  await sleep(1500);
  await writers.stop();
  clearInterval(watch);
  const procs = new Map((await status(dir)).nodes.map((n) => [n.name, n.state]));
  await repair(dir, [active, peer], (n) => procs.get(n) ?? 'running');
  await until(() => list.node(active).reachable === true && list.node(peer).reachable === true, 30_000);
  const failover = list.isFenced(active);
  let restore: RoundResult['restore'] = 'none';
  const restoreOnce = async (tag: string): Promise<boolean> => {
    const v = await runRestore({
      list,
      kind: 'restore',
      procedure: 'sipha',
      target: active,
      actor: 'chaos',
      runId: `chaos-${Date.now()}-${r.n}-${tag}`,
      audit: async () => undefined,
    }).catch((e: unknown) => ({ status: 'failed', message: String(e) }));
    if (v.status !== 'succeeded')
      console.log(`  round ${r.n}: restore failed: ${'message' in v ? v.message : ''}`);
    return v.status === 'succeeded';
  };
  // The console's own restore; on a busy machine a step can time out, so it gets a second try.
  for (let attempt = 0; failover && restore !== 'succeeded' && attempt < 2; attempt++) {
    restore = (await restoreOnce(String(attempt))) ? 'succeeded' : 'failed';
    if (restore === 'failed') await sleep(2000);
  }
  // A restore that stopped on diverged registrations (Kamailio's db_cluster wrote to both nodes
  // during the fault) is repaired as an operator would: the console's location merge (newer
  // `expires` wins), then the restore again. Subscriber differences are never chosen here.
  if (failover && restore === 'failed' && (await mergeLocations(list, active, r.n)))
    restore = (await restoreOnce('repaired')) ? 'repaired' : 'failed';
  const s = await sip;
  const names = [active, peer];
  // The SIP servers may still be writing what sipp sent last: converge and compare until the
  // nodes agree or three tries show they do not.
  let diff: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (!(await converge(dir, names))) console.log(`  round ${r.n}: replication did not converge in 30 s`);
    diff = await differing(dir, names);
    if (!diff.length) break;
    await sleep(2000);
  }
  const { lost, duplicated } = await checkAcks(dir, names, writers.acks);
  if (diff.length) console.log(`  round ${r.n}: ${diff.join(', ')} differ between ${names.join(' and ')}`);
  const same = diff.length === 0;
  const stillFenced = names.some((n) => list.isFenced(n));
  // The console's own flag: it saw a SIP server write to a node other than the one it should.
  const flagged = list.needsVerification().filter((u) => names.every((n) => u.nodes.includes(n)));
  for (const u of flagged)
    console.log(`  round ${r.n}: ${u.nodes.join(' and ')} need verification: ${u.reason}`);
  const now = list.active()?.handle.name ?? active;
  const registered = s && s.ok >= 100 ? seedUsers(100).map((u) => u.username) : [];
  const onFenced = writers.acks.filter((a) => a.node === active && fencedAt !== null && a.at > fencedAt);
  for (const a of onFenced)
    console.log(
      `  round ${r.n}: ${a.k} acknowledged by ${a.node} ${(a.at - fencedAt!).toFixed(0)} ms after its fence` +
        ` (started ${(a.start - t0).toFixed(0)} ms after the fault${a.verified ? ', found by verify' : ''})`,
    );
  const result: RoundResult = {
    ...r,
    failover,
    falseFailover: failover && !failoverAllowed(r.fault),
    detectionMs: downAt !== null && downAt >= t0 ? downAt - t0 : null,
    baselineFailover: base.failoverAt !== null,
    baselineFalse: base.failoverAt !== null && !failoverAllowed(r.fault),
    baselineDetectionMs: base.failoverAt !== null && base.failoverAt >= t0 ? base.failoverAt - t0 : null,
    acked: writers.acks.length,
    failedWrites: writers.failed,
    lost,
    duplicated,
    writesOnFenced: onFenced.length,
    unflaggedDivergence: !same && !stillFenced && !flagged.length ? 1 : 0,
    flaggedDivergence: !same && !stillFenced && flagged.length ? 1 : 0,
    missingRegistrations: await missingRegistrations(dir, now, registered),
    restore,
  };
  await adminQuery(dir, now, 'TRUNCATE TABLE kamailio.chaos_heavy');
  return result;
}

/** The console's location merge for `target`; false when there is nothing it may merge. */
async function mergeLocations(list: ConnectionList, target: string, n: number): Promise<boolean> {
  try {
    const p = await previewRepair({ list, target, choices: {} });
    if (!p.location.length) return false;
    const done = await applyRepair({
      list,
      target,
      choices: {},
      digest: p.digest,
      audit: async () => undefined,
    });
    console.log(`  round ${n}: merged ${done.applied} location change(s)`);
    return true;
  } catch (e) {
    console.log(`  round ${n}: location merge failed: ${String(e)}`);
    return false;
  }
}

/** The tables the console writers and the heavy writes use. */
export async function prepare(dir: string, state: LabState): Promise<void> {
  await adminQuery(
    dir,
    'd1',
    'CREATE TABLE kamailio.chaos_writes (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL, KEY (k))',
  );
  await adminQuery(
    dir,
    'd1',
    'CREATE TABLE kamailio.chaos_heavy (id INT AUTO_INCREMENT PRIMARY KEY, pad TEXT)',
  );
  await converge(
    dir,
    state.nodes.map((n) => n.name),
  );
}

export async function runChaos(opts: {
  rounds: number;
  seed: number;
  fault?: Fault;
  log?: (line: string) => void;
}): Promise<RoundResult[]> {
  const log = opts.log ?? console.log;
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  let list: ConnectionList | undefined;
  let base: SingleProbeDetector | undefined;
  let sync: SipDbSync | undefined;
  const results: RoundResult[] = [];
  // Ctrl-C: stop the lab (processes, namespaces) before leaving.
  const interrupted = () => void down(dir).finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const state = await up({ dir, nodes: 2, sip: true, netns: true, console: false });
    await prepare(dir, state);
    // This process is the console: its connection list, and its sync of the SIP servers'
    // db_cluster lists (which fences them and flags two-writer windows).
    process.env.SIPHA_CONFIG = state.configPath;
    list = await getConnectionList();
    sync = new SipDbSync(list, getConfig()).start();
    base = new SingleProbeDetector(state);
    base.start();
    for (const r of schedule(opts.rounds, opts.seed, opts.fault)) {
      const res = await oneRound(dir, list, sync, base, r);
      results.push(res);
      log(
        `round ${r.n} ${r.fault} ${r.ms} ms: failover ${res.failover}${res.falseFailover ? ' (FALSE)' : ''}` +
          ` detection ${res.detectionMs?.toFixed(0) ?? '-'} ms | baseline failover ${res.baselineFailover}` +
          `${res.baselineFalse ? ' (FALSE)' : ''} ${res.baselineDetectionMs?.toFixed(0) ?? '-'} ms | acked ${res.acked}` +
          ` failed ${res.failedWrites} lost ${res.lost} dup ${res.duplicated} on-fenced ${res.writesOnFenced}` +
          ` divergence ${res.unflaggedDivergence} flagged ${res.flaggedDivergence} reg-missing ${res.missingRegistrations} restore ${res.restore}`,
      );
    }
    return results;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    base?.stop();
    sync?.stop();
    await closeConnectionList().catch(() => undefined);
    await down(dir).catch((e) => log(`! lab down failed: ${(e as Error).message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}
