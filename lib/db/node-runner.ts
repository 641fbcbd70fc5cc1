import 'server-only';
import { CompiledQuery, type Kysely } from 'kysely';
import { AppError } from '@/lib/errors';
import { errorCode } from './classify';
import type { ListCore } from './list-core';
import type { NodeRuntime } from './runtime';
import type { DB } from './schema';
import { withQueryTimeout } from './send-guard';
import type { Row } from './sessions';

// Statements on one named node, on its pool, with no failover: health, replication, restore and
// Galera work that must reach that node and no other. Bounded like every pooled statement; a
// statement that runs out of time on a node that still answers a probe is an unknown outcome.

/** A statement as the dialect spells it, or SQL text with its parameters. */
export interface Stmt {
  sql: string;
  params?: readonly unknown[];
}

export interface NodeRunner {
  readonly name: string;
  /** Kysely on this node's pool, bounded by `timeoutMs` (the configured queryTimeoutMs by default). */
  run<T>(fn: (db: Kysely<DB>) => Promise<T>, timeoutMs?: number): Promise<T>;
  /** One statement's rows ([] for a statement that returns none). */
  rows<R = Row>(stmt: Stmt | string, timeoutMs?: number): Promise<R[]>;
}

export function nodeRunner(core: ListCore, n: NodeRuntime): NodeRunner {
  const run = <T>(fn: (db: Kysely<DB>) => Promise<T>, timeoutMs?: number) => runOn(core, n, fn, timeoutMs);
  return {
    name: n.handle.name,
    run,
    rows: async <R>(stmt: Stmt | string, timeoutMs?: number) => {
      const s = typeof stmt === 'string' ? { sql: stmt } : stmt;
      const q = CompiledQuery.raw(s.sql, [...(s.params ?? [])]);
      return (await run((db) => db.executeQuery<R>(q), timeoutMs)).rows as R[];
    },
  };
}

export async function runOn<T>(
  core: ListCore,
  n: NodeRuntime,
  fn: (db: Kysely<DB>) => Promise<T>,
  timeoutMs?: number,
): Promise<T> {
  const t = timeoutMs ?? core.cfg.queryTimeoutMs;
  const task = withQueryTimeout(t, () => fn(n.handle.db));
  // A statement timeout alone does not prove the node is gone: a probe decides.
  try {
    return await task;
  } catch (err) {
    if (errorCode(err) === 'PROTOCOL_SEQUENCE_TIMEOUT') {
      if ((await core.confirm(n)).state === 'up')
        // Alive but slow: a write may still commit there, so its outcome is unknown.
        throw new AppError(
          'unknown_outcome:database',
          `The statement on ${n.handle.name} took longer than ${t} ms and was abandoned; it may still complete.`,
          { cause: err },
        );
    }
    throw err;
  }
}
