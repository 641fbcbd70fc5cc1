import 'server-only';
import { getConfig } from '@/lib/config/load';
import { KAMAILIO_SQL_DIR } from '@/lib/db/kamailio-sql';

// What each operation will run, in order, shown on the page before the operator confirms it
// (and again in the job log as each step starts).

export type GaleraOp = 'bootstrap' | 'recover' | 'rolling-restart' | 'join' | 'remove';

export function describeOperation(op: GaleraOp, node?: string): string[] {
  const cfg = getConfig();
  const names = cfg.nodes.map((n) => n.name);
  const cmd = (n: string, a: 'state' | 'recover' | 'markSafe' | 'bootstrap' | 'start') =>
    cfg.galera?.control[n]?.[a]?.join(' ') ?? `(no ${a} command configured for ${n})`;
  const [first, ...rest] = names;
  switch (op) {
    case 'bootstrap':
      return [
        "Preflight: each node's wsrep_* settings as it starts (my.cnf), no node in a running cluster, Galera ports free, the SST account on the first node; refused with the failing items otherwise.",
        "Each node that runs without Galera: SHUTDOWN (the others receive the first node's data by SST).",
        `${first}: ${first ? cmd(first, 'bootstrap') : ''}, then wait until it is Primary and Synced`,
        `${first}: Kamailio's schema (CREATE TABLE version, subscriber, location … from ${KAMAILIO_SQL_DIR}) where missing, and the console's tables (sipha_*)`,
        ...rest.map(
          (n) => `${n}: ${cmd(n, 'start')}, then wait until it is Synced (state transfer progress shown)`,
        ),
      ];
    case 'recover':
      return [
        'Check that no node answers (otherwise this is not a full outage: refused).',
        ...names.flatMap((n) => [
          `${n}: ${cmd(n, 'state')}`,
          `${n}: ${cmd(n, 'recover')}   (only when grastate.dat says seqno -1)`,
        ]),
        'Choose the most advanced node; refuse if a position is unknown, histories differ, or safe_to_bootstrap contradicts seqno.',
        'CHOSEN: <markSafe command>   (unless grastate.dat already says safe_to_bootstrap: 1)',
        'CHOSEN: <bootstrap command>, then wait until it is Synced and Primary',
        'each other node, one at a time: <start command>, then wait until it is Synced (state transfer progress shown)',
      ];
    case 'rolling-restart':
      return [
        'Refuse unless every node is Synced.',
        'For each node, the writer last: every SIP server (db_cluster) leaves it: dbcl.disable_connection;',
        '  SHUTDOWN; wait until it stops;',
        ...names.map((n) => `  ${n}: ${cmd(n, 'start')}`),
        '  wait until it is Synced, then dbcl.enable_connection on every SIP server, before the next one.',
      ];
    case 'join':
      return [
        `${node}: ${node ? cmd(node, 'start') : ''}`,
        `Follow the donor's state and wait until ${node} is Synced (SST or IST).`,
      ];
    case 'remove':
      return [
        `${node}: SHUTDOWN (the node leaves the cluster cleanly; the others shrink the view).`,
        'Then remove it from the configuration.',
      ];
  }
}
