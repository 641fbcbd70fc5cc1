import type { Flavor } from '../../dialect/version.ts';

// Plain-language explanations of the data (SQL thread) errors an operator actually meets in a
// two-node, two-way setup. Written for someone woken at 3 a.m.: what broke, why, what to do.

export type Severity = 'critical' | 'error' | 'warning';

export interface Explanation {
  title: string;
  meaning: string;
  fix: string[];
  severity: Severity;
}

export interface ExplainContext {
  /** e.g. "d2 (replicating from d1)"; "this replica" when unknown. */
  here: string;
  /** The node this one replicates from; "the source" when unknown. */
  peer: string;
  flavor?: Flavor;
}

export function skipOne(ctx: ExplainContext): string {
  const mariadb =
    'MariaDB: STOP SLAVE; SET GLOBAL sql_slave_skip_counter = 1; START SLAVE; ' +
    '(or set @@gtid_slave_pos to the failing GTID after STOP SLAVE)';
  const mysql =
    "MySQL (GTID): STOP REPLICA; SET GTID_NEXT = '<failing GTID>'; BEGIN; COMMIT; " +
    "SET GTID_NEXT = 'AUTOMATIC'; START REPLICA;";
  const how = ctx.flavor === 'mariadb' ? mariadb : ctx.flavor === 'mysql' ? mysql : `${mariadb} — ${mysql}`;
  return `Only if the row on ${ctx.here} is already correct, skip the one failing event: ${how}`;
}

const recheck = 'Afterwards compare the tables on both nodes (CHECKSUM TABLE or pt-table-checksum).';

export type Entry = (ctx: ExplainContext) => Explanation;

export const DATA_ERRORS: Record<number, Entry> = {
  1062: (c) => ({
    title: 'Duplicate key: both nodes wrote the same row',
    meaning:
      `${c.here} tried to apply a row from ${c.peer} whose key already exists locally. In two-way ` +
      'replication this almost always means both nodes inserted at the same time and their ' +
      'AUTO_INCREMENT counters handed out the same id. Replication from that peer is stopped; ' +
      'the two copies now disagree.',
    fix: [
      'Prevent it happening again: on every node set auto_increment_increment = the number of nodes, ' +
        'and a different auto_increment_offset on each (1 on the first, 2 on the second) — in my.cnf too.',
      `Look at the conflicting row on both nodes (the key is in the error message) and decide which copy is right.`,
      `If ${c.peer}'s copy is right: delete the local row on ${c.here}, then start the replica again.`,
      skipOne(c),
      recheck,
    ],
    severity: 'critical',
  }),
  1032: (c) => ({
    title: 'Row not found on the replica: the nodes have diverged',
    meaning:
      `${c.peer} updated or deleted a row that does not exist on ${c.here}. The data was already ` +
      'different before this event (a local write, a skipped event, or an incomplete snapshot).',
    fix: [
      'Find the table and key in the error message and compare that row on both nodes.',
      `Insert the missing row on ${c.here} by hand, or skip the event if the delete is moot.`,
      skipOne(c),
      `${recheck} If many rows differ, rebuild ${c.here} from a fresh snapshot of ${c.peer}.`,
    ],
    severity: 'critical',
  }),
  1146: (c) => ({
    title: 'Table missing on the replica',
    meaning:
      `${c.peer} sent a change for a table that does not exist on ${c.here}: the initial snapshot ` +
      'was incomplete, or the table was created while replication was filtered or stopped.',
    fix: [
      `Create the table on ${c.here} with the definition from ${c.peer} (SHOW CREATE TABLE) and copy its rows,`,
      `or, safer, rebuild ${c.here} from a fresh consistent snapshot of ${c.peer}.`,
      'Check replicate_*_db / replicate_*_table filters on both nodes.',
    ],
    severity: 'error',
  }),
  1236: (c) => ({
    title: 'The source no longer has the binlog this replica needs',
    meaning:
      `${c.here} asked ${c.peer} for changes starting at a binlog position or GTID that ${c.peer} has ` +
      'already purged (or never had: a reset binlog, a restored backup). Replication cannot catch up by itself.',
    fix: [
      `Take a fresh consistent snapshot of ${c.peer}, load it on ${c.here}, and start replication from the ` +
        "snapshot's GTID position.",
      'Keep binlogs longer (binlog_expire_logs_seconds / expire_logs_days) so a short outage does not need a rebuild.',
    ],
    severity: 'critical',
  }),
};
