import 'server-only';
import { sql } from 'kysely';
import { getConnectionList } from '@/lib/db';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import { runControl } from './control';
import type { JobLog } from './job';
import { probeWsrep } from './probe';
import {
  decideBootstrap,
  type Evidence,
  parseGrastate,
  parseRecovered,
  type RecoveryDecision,
} from './recovery';
import { holdSipServers, releaseSipServers } from './sip-hold';
import { writable } from './status';
import { watchTransfer } from './transfer';

// The operator's Galera operations. Each runs inside a job (./job.ts), logging every SQL
// statement and command before it runs; the caller (a server action) checks the role and
// the job audits the outcome.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function config(list: ConnectionList, node: string) {
  return list.node(node).handle.config;
}

/** Polls a node until it is Synced in the primary component, logging each state it passes. */
export async function waitSynced(list: ConnectionList, node: string, log: JobLog, timeoutMs = 600_000) {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    const r = await probeWsrep(config(list, node), 1000);
    const now = r.ok ? `${r.status?.localState ?? 'wsrep off'} / ${r.status?.clusterStatus ?? '-'}` : r.error;
    if (now !== last) log('wait', `${node}: ${now} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    last = now;
    if (r.ok && writable(r.status)) return;
    await sleep(500);
  }
  throw new AppError('failed:database', `${node} did not become Synced within ${timeoutMs / 1000} s.`);
}

async function waitDown(list: ConnectionList, node: string, log: JobLog, timeoutMs = 120_000) {
  log('wait', `${node}: waiting for it to stop`);
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!(await probeWsrep(config(list, node), 800)).ok) return;
    await sleep(300);
  }
  throw new AppError('failed:database', `${node} did not stop within ${timeoutMs / 1000} s.`);
}

/**
 * Starts a node with its configured command and waits until it is Synced, following its state
 * transfer (SST or IST) and the donor's state in the log and on the health page.
 */
export async function startAndSync(list: ConnectionList, node: string, log: JobLog): Promise<void> {
  const stop = watchTransfer(list, node, log);
  try {
    await runControl(node, 'start', log);
    await waitSynced(list, node, log);
  } finally {
    await stop();
  }
}

/** Start a node with its configured command while logging the cluster's states (SST/IST). */
export async function joinNode(node: string, log: JobLog): Promise<string> {
  const list = await getConnectionList();
  if ((await probeWsrep(config(list, node), 1000)).ok)
    throw new AppError('conflict:state', `${node} is already running.`);
  const t0 = Date.now();
  await startAndSync(list, node, log);
  return `${node} joined and is Synced (${((Date.now() - t0) / 1000).toFixed(1)} s).`;
}

/** Leaves the cluster cleanly (the others shrink the view); then it can go from the configuration. */
export async function removeNode(node: string, log: JobLog): Promise<string> {
  const list = await getConnectionList();
  const others = list.nodes.filter(
    (n) => n.handle.name !== node && list.galera?.get(n.handle.name).writableSince,
  );
  if (others.length === 0)
    throw new AppError('conflict:state', `${node} is the only Synced node; removing it stops the cluster.`);
  await shutdown(list, node, log);
  return `${node} left the cluster. Remove it from the configuration's nodes and from wsrep_cluster_address on the others.`;
}

export async function shutdown(list: ConnectionList, node: string, log: JobLog) {
  log('sql', `${node}: SHUTDOWN`);
  // A planned stop leaves the group cleanly: not a process gone to evict (writer.ts).
  list.galera?.planned.add(node);
  try {
    await list
      .on(node)
      .run((db) => sql`SHUTDOWN`.execute(db))
      .catch(() => undefined);
    await waitDown(list, node, log);
  } finally {
    list.galera?.planned.delete(node);
  }
}

/**
 * One node at a time, the writer last; each must be Synced before the next one stops, and the
 * SIP servers stop using each node before it stops (./sip-hold.ts).
 */
export async function rollingRestart(log: JobLog): Promise<string> {
  const list = await getConnectionList();
  const names = list.nodes.map((n) => n.handle.name);
  const notSynced = names.filter((n) => !writable(list.galera?.get(n).status));
  if (notSynced.length > 0)
    throw new AppError(
      'conflict:state',
      `Not every node is Synced (${notSynced.join(', ')}): a rolling restart now could stop the cluster.`,
    );
  const writer = list.active()?.handle.name;
  const order = [...names.filter((n) => n !== writer), ...names.filter((n) => n === writer)];
  log('info', `Order: ${order.join(', ')}`);
  for (const node of order) {
    // The SIP servers leave the node first and take it back once it is Synced again.
    const held = await holdSipServers(node, log);
    await shutdown(list, node, log);
    await startAndSync(list, node, log);
    await releaseSipServers(node, held, log);
  }
  return `Restarted ${order.join(', ')}; all Synced.`;
}

/** Reads every node's evidence: grastate.dat, and --wsrep-recover where it says seqno -1. */
export async function planRecovery(
  log: JobLog,
): Promise<{ evidence: Evidence[]; decision: RecoveryDecision }> {
  const list = await getConnectionList();
  const running = [];
  for (const n of list.nodes) if ((await probeWsrep(n.handle.config, 1000)).ok) running.push(n.handle.name);
  if (running.length > 0)
    return {
      evidence: [],
      decision: {
        ok: false,
        reason: `${running.join(', ')} still run${running.length === 1 ? 's' : ''}: this is not a full outage. Stop them first, or start the stopped nodes so they join.`,
      },
    };
  // In parallel: --wsrep-recover runs InnoDB crash recovery, seconds per node.
  const evidence = await Promise.all(
    list.nodes.map(async (n) => {
      const node = n.handle.name;
      const e: Evidence = { node, grastate: null, recovered: null };
      try {
        e.grastate = parseGrastate(await runControl(node, 'state', log));
        log(
          'info',
          `${node}: grastate.dat seqno ${e.grastate?.seqno ?? 'missing'}, safe_to_bootstrap ${e.grastate?.safeToBootstrap ? 1 : 0}`,
        );
        if (!e.grastate || e.grastate.seqno < 0) {
          e.recovered = parseRecovered(await runControl(node, 'recover', log));
          log(
            'info',
            `${node}: recovered position ${e.recovered ? `${e.recovered.uuid}:${e.recovered.seqno}` : 'none'}`,
          );
        }
      } catch (err) {
        e.error = (err as Error).message;
        log('error', e.error);
      }
      return e;
    }),
  );
  return { evidence, decision: decideBootstrap(evidence) };
}

export async function recoverFullOutage(log: JobLog): Promise<string> {
  const t0 = Date.now();
  const list = await getConnectionList();
  const { decision } = await planRecovery(log);
  if (!decision.ok) throw new AppError('conflict:state', `Refused: ${decision.reason}`);
  log('info', `Bootstrap from ${decision.node}: ${decision.why}.`);
  if (decision.markSafe) await runControl(decision.node, 'markSafe', log);
  await runControl(decision.node, 'bootstrap', log);
  await waitSynced(list, decision.node, log);
  log('info', `${decision.node} is Primary and takes writes; the others join now.`);
  // One at a time: a node that crashed needs a full SST, and a donor serves one SST at a time (a
  // second joiner asking the same donor at once fails its SST).
  for (const n of list.nodes.filter((x) => x.handle.name !== decision.node))
    await startAndSync(list, n.handle.name, log);
  return `Cluster recovered from ${decision.node} (seqno ${decision.seqno}) in ${((Date.now() - t0) / 1000).toFixed(1)} s; all nodes Synced.`;
}
