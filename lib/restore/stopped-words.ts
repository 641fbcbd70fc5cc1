import { explainReplicationError } from '../health/replication/advice.ts';
import type { ReplicaStatus } from '../health/replication/status.ts';

// Why the returning node's replication from the survivor stopped, in words an operator can act
// on: the error's title, the row it names (table, key and value, never the statement), and for
// a row conflict what most likely caused it and what to do. Used when replication does not start
// (replicate.ts) and when it stops during the catch-up (catch-up.ts).

/**
 * Tables whose key values may be shown: a user's name or a registration's ruid. The console's own
 * tables key sessions and API tokens by hashes of their secrets, which never leave the server.
 */
const SHOWN_VALUES = new Set(['subscriber', 'location']);

/** The table, key and value a duplicate-key or row-not-found error names, when it names them. */
export function conflictOf(message: string): { table?: string; key?: string; value?: string } {
  const table = /on table ([\w$]+\.[\w$]+)/.exec(message)?.[1];
  const dup = /Duplicate entry '(.{0,200}?)' for key '([\w$]+)'/.exec(message);
  const shown = table !== undefined && SHOWN_VALUES.has(table.split('.')[1]!);
  const value = !shown ? undefined : dup?.[1] && dup[1].length > 80 ? `${dup[1].slice(0, 80)}…` : dup?.[1];
  return {
    ...(table ? { table } : {}),
    ...(dup ? { key: dup[2], ...(value === undefined ? {} : { value }) } : {}),
  };
}

export function replicationStoppedWords(
  target: string,
  survivor: string,
  st: Pick<ReplicaStatus, 'lastSqlErrno' | 'lastSqlError'>,
): string {
  const title = explainReplicationError({ errno: st.lastSqlErrno }).title;
  const c = conflictOf(st.lastSqlError);
  const where = [c.table, c.key && `key ${c.key}${c.value === undefined ? '' : ` = '${c.value}'`}`]
    .filter(Boolean)
    .join(', ');
  const head = `${title} (SQL error ${st.lastSqlErrno}${where ? `: ${where}` : ''}).`;
  const stays = `${target} stays fenced and ${survivor} keeps taking the writes.`;
  if (st.lastSqlErrno === 1062)
    return (
      `${head} ${target} already holds a row that ${survivor} wrote too: most likely a write ${target} ` +
      `committed as it failed, whose answer was lost, so the SIP server wrote it again on ${survivor}. ` +
      `${stays} ${survivor}'s copy is the one that counts: delete ${target}'s copy of that row, then restore ${target} again.`
    );
  if (st.lastSqlErrno === 1032)
    return (
      `${head} ${target} lacks a row that ${survivor} changes: their histories differ (a write on ` +
      `${target} that never reached ${survivor}, or one made outside replication). ${stays} ` +
      `Compare the row on both nodes, make ${target}'s copy match ${survivor}'s, then restore ${target} again.`
    );
  return `${head} ${stays}`;
}
