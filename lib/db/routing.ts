import 'server-only';
import { type Kysely, sql } from 'kysely';
import { AppError } from '@/lib/errors';
import {
  ER_READ_ONLY,
  errorCode,
  errorErrno,
  isBeforeSend,
  isConnectionError,
  NodeDownError,
} from './classify';
import { refreshFence, settle } from './failover';
import type { ListCore } from './list-core';
import { AcquireError } from './node';
import { runOn } from './node-runner';
import { cutOffMessage, maybeLaterMessage, notFirstNodeWarning, unknownOutcomeMessage } from './runtime';
import type { DB } from './schema';
import { withSendGuard } from './send-guard';

// Reads and writes on the active node (DESIGN.md, "Rules the paper sets"): only connection-level
// failures move on down the list, never a query error; a write whose outcome is unknown is
// verified on the next node, never blindly repeated.

export interface Served<T> {
  value: T;
  node: string;
  /** True when the write was found already applied (after a connection broke mid-write). */
  verified?: boolean;
  /** A write that did not land on the first node of the list says so, in one wording. */
  warning?: string;
}

export interface WriteOptions<T> {
  run: (db: Kysely<DB>, node: string) => Promise<T>;
  /** Looks for the write's effect; returns it when the write is already there. */
  verify?: (db: Kysely<DB>, node: string) => Promise<T | undefined>;
  timeoutMs?: number;
  /** `run` is one transaction (or one statement): a Galera certification conflict undid all of it. */
  atomic?: boolean;
}

export async function route<T>(core: ListCore, opts: WriteOptions<T>, isRead: boolean): Promise<Served<T>> {
  let unknownOutcome = false;
  /** The node an unsure write was sent to, when it hung rather than refused. */
  let sentToHung: string | null = null;
  let transient = 0;
  let conflicts = 0;
  for (let attempt = 0; attempt < core.nodes.length + 2 + conflicts; attempt++) {
    // Fence the node we move away from, and let the new one drain its relay log, first.
    await settle(core);
    const n =
      core.active() ?? (await core.galera?.waitForWriter(() => core.active(), core.cfg.queryTimeoutMs));
    if (!n) throw new AppError('unavailable:database', core.unavailableMessage());
    const name = n.handle.name;
    try {
      if (unknownOutcome && opts.verify) {
        const found = await runOn(core, n, (db) => verifyOn(core, db, name, opts.verify!), opts.timeoutMs);
        if (found !== undefined) return { value: found, node: name, verified: true, ...landedOn(core, name) };
        if (sentToHung && sentToHung !== name)
          throw new AppError('unknown_outcome:database', maybeLaterMessage(sentToHung, name));
      }
      // The send guard: a statement is refused right before it is sent once its node was
      // fenced or found down after it was chosen.
      const value = await withSendGuard(
        () => (core.isFenced(name) || n.reachable === false ? new NodeDownError(name) : null),
        () => runOn(core, n, (db) => opts.run(db, name), opts.timeoutMs),
      );
      return isRead ? { value, node: name } : { value, node: name, ...landedOn(core, name) };
    } catch (err) {
      // Stopped before sending: the node was fenced or found down meanwhile. Nothing reached it.
      if (errorCode(err) === 'SIPHA_NODE_DOWN' && (core.isFenced(name) || n.reachable === false)) continue;
      const galera = core.galera?.verdict(name, err, opts, conflicts);
      if (galera === 'retry') conflicts++;
      if (galera === 'unsure' && !isRead) {
        // The commit may or may not have been ordered: look for it on the next writer.
        if (!opts.verify)
          throw new AppError('unknown_outcome:database', unknownOutcomeMessage(name), { cause: err });
        unknownOutcome = true;
      }
      if (galera) continue;
      const readOnlyRefusal = errorErrno(err) === ER_READ_ONLY;
      if (!isConnectionError(err) && !readOnlyRefusal) throw err;
      if (readOnlyRefusal) {
        await refreshFence(core, true);
        if (!core.isFenced(name)) throw err; // read_only for another reason: the caller's error
      } else {
        // A refused new connection is sure at once (nothing listens); a broken one is checked
        // with a fresh probe, and a timeout waits for the evidence.
        const refused = errorCode(err) === 'ECONNREFUSED';
        const v = n.reachable === false || refused ? null : await core.confirm(n);
        if (v?.state === 'up') {
          // One broken connection (a stale pooled socket, a killed thread) on a node that
          // answers a fresh probe is no reason to fence it: try the same node again, once.
          if (transient++ > 0)
            throw new AppError('failed:database', `The connection to ${name} keeps breaking.`, {
              cause: err,
            });
        } else if (v && v.state !== 'down') {
          const unsure = !isRead && !(err instanceof AcquireError) && !isBeforeSend(err);
          const msg = v.state === 'cut-off' ? cutOffMessage(name) : `${name} does not answer (${v.words}).`;
          throw new AppError(unsure ? 'unknown_outcome:database' : 'unavailable:database', msg, {
            cause: err,
          });
        } else {
          core.markDown(n, err, v?.words, v?.code === 'SIPHA_PROBE_TIMEOUT');
        }
      }
      if (!isRead && !(err instanceof AcquireError) && !isBeforeSend(err)) {
        // The statement may have committed before the connection broke.
        if (!opts.verify)
          throw new AppError('unknown_outcome:database', unknownOutcomeMessage(name), { cause: err });
        unknownOutcome = true;
        if (n.reachable === false && n.hung) sentToHung = name;
      }
    }
  }
  throw new AppError('unavailable:database', core.unavailableMessage());
}

function landedOn(core: ListCore, name: string): { warning?: string } {
  const warning = notFirstNodeWarning([name], core.nodes[0]!.handle.name);
  return warning ? { warning } : {};
}

/**
 * Looks for a write whose outcome is unknown. On Galera, as a causal read (wsrep_sync_wait=1):
 * the node first applies every write-set ordered before the read, so one the lost writer had
 * already sent to the group is found here if it is ever committed, rather than checked before
 * it arrives and then applied after the write was run again.
 */
function verifyOn<T>(
  core: ListCore,
  db: Kysely<DB>,
  name: string,
  verify: (db: Kysely<DB>, node: string) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (!core.galera) return verify(db, name);
  return db.connection().execute(async (c) => {
    await sql`SET SESSION wsrep_sync_wait = 1`.execute(c);
    try {
      return await verify(c, name);
    } finally {
      await sql`SET SESSION wsrep_sync_wait = 0`.execute(c).catch(() => undefined);
    }
  });
}
