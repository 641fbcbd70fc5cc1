import 'server-only';
import { AppError } from '@/lib/errors';
import type { ReplicaStatus } from '../health/replication/status';
import { type NodeCtx, onCtx, replicaStatus } from './node-io';
import { replicationStoppedWords } from './stopped-words';

// Step a: the returning node must replicate from the survivor. After a crash its replication
// settings persist (master.info / relay-log.info), so the usual case is only START SLAVE. When
// no source is configured, or it points elsewhere, the operator types the replication account
// for this one run: it is used for CHANGE MASTER and never stored, logged or audited.

export interface ReplicationCredentials {
  user: string;
  password: string;
}

export function pointsAt(st: ReplicaStatus | null, survivor: NodeCtx): boolean {
  if (!st) return false;
  const c = survivor.node.handle.config;
  return (
    st.sourcePort === c.port &&
    (st.sourceHost === c.host || (isLoopback(st.sourceHost) && isLoopback(c.host)))
  );
}

const isLoopback = (h: string) => h === '127.0.0.1' || h === 'localhost' || h === '::1';

export interface ReplicatePlan {
  action: 'none' | 'start' | 'change_source';
  statements: string[];
  reason: string;
}

export async function planReplication({
  target,
  survivor,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
}): Promise<ReplicatePlan> {
  const st = await replicaStatus(target);
  const d = target.dialect;
  if (pointsAt(st, survivor)) {
    if (st!.ioRunning === 'Yes' && st!.sqlRunning)
      return {
        action: 'none',
        statements: [],
        reason: `${target.name} already replicates from ${survivor.name}`,
      };
    return {
      action: 'start',
      statements: [d.startReplica().display],
      reason: `${target.name} has ${survivor.name} configured as its source; replication is stopped`,
    };
  }
  const c = survivor.node.handle.config;
  const shown = d.changeSource({
    host: c.host,
    port: c.port,
    user: 'REPLICATION_USER',
    password: 'x',
  }).display;
  return {
    action: 'change_source',
    statements: [d.stopReplica().display, shown, d.startReplica().display],
    reason: st
      ? `${target.name} replicates from ${st.sourceHost}:${st.sourcePort}, not from ${survivor.name}`
      : `${target.name} has no replication source configured`,
  };
}

export async function ensureReplicating({
  target,
  survivor,
  credentials,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
  credentials?: ReplicationCredentials;
}): Promise<string> {
  const plan = await planReplication({ target, survivor });
  const d = target.dialect;
  if (plan.action === 'none') return plan.reason;
  if (plan.action === 'change_source') {
    if (!credentials?.user || !credentials.password)
      throw new AppError(
        'bad_request:input',
        `${plan.reason}: enter the replication account to configure it.`,
        {
          fields: {
            replPassword: ['Needed: the replication account has to be configured on the returning node.'],
          },
        },
      );
    const c = survivor.node.handle.config;
    await onCtx(target, d.stopReplica());
    await onCtx(
      target,
      d.changeSource({ host: c.host, port: c.port, user: credentials.user, password: credentials.password }),
    );
  }
  await onCtx(target, d.startReplica());
  // The threads take a moment; an access or network problem shows up as an IO error here.
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const st = await replicaStatus(target);
    if (st && st.ioRunning === 'Yes' && st.sqlRunning)
      return `${target.name} replicates from ${survivor.name}`;
    if (st && (st.lastIoErrno || st.lastSqlErrno)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const st = await replicaStatus(target);
  if (st?.lastSqlErrno)
    throw new AppError(
      'failed:database',
      `Replication on ${target.name} from ${survivor.name} did not start: ${replicationStoppedWords(target.name, survivor.name, st)}`,
    );
  throw new AppError(
    'failed:database',
    `Replication on ${target.name} did not start (IO ${st?.ioRunning ?? '?'}, SQL ${st?.sqlRunning ? 'Yes' : 'No'}${st?.lastIoErrno ? `, IO error ${st.lastIoErrno}` : ''}).`,
  );
}

/**
 * The other direction: the survivor must replicate from the returning node before that node
 * takes writes again, connected, so its first commits are acknowledged (semi-sync) and reach
 * the survivor. Right after a restart the survivor's IO thread may still be reconnecting.
 */
export async function ensureReverse({
  target,
  survivor,
  waitMs,
}: {
  target: NodeCtx;
  survivor: NodeCtx;
  waitMs: number;
}): Promise<string> {
  let st = await replicaStatus(survivor);
  if (!pointsAt(st, target))
    return `${survivor.name} does not replicate from ${target.name} (one-way setup): writes on ${target.name} will not reach it`;
  if (st!.ioRunning === 'No' || !st!.sqlRunning) await onCtx(survivor, survivor.dialect.startReplica());
  const until = Date.now() + waitMs;
  for (;;) {
    st = await replicaStatus(survivor);
    if (st?.ioRunning === 'Yes' && st.sqlRunning) return `${survivor.name} replicates from ${target.name}`;
    if (Date.now() > until)
      throw new AppError(
        'failed:database',
        `${survivor.name} does not reconnect to ${target.name} (IO ${st?.ioRunning ?? '?'}): fix the replication from ${target.name} first.`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
