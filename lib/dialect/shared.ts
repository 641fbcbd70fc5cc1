import { account, MASK, plain, quoteString, type Statement } from './quote.ts';
import type { ReplicationAccount } from './types.ts';

// Statements spelled the same on both flavours, shared by mariadb.ts / mysql.ts.

const VAR_NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;

export function variableAssignment(name: string, value: string | number | boolean): string {
  if (!VAR_NAME_RE.test(name)) throw new Error(`Refusing suspicious variable name ${JSON.stringify(name)}`);
  if (typeof value === 'boolean') return `${name} = ${value ? 'ON' : 'OFF'}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Invalid value for ${name}`);
    return `${name} = ${value}`;
  }
  // Keywords such as ON / OFF_PERMISSIVE / ROW stay bare; anything else becomes a literal.
  return `${name} = ${/^[A-Z][A-Z_]*$/.test(value) ? value : quoteString(value)}`;
}

export function createReplicationUserStatements(a: ReplicationAccount): Statement[] {
  const who = account(a.user, a.host);
  const secret = quoteString(a.password);
  // ALTER after CREATE IF NOT EXISTS: an account left over from an earlier attempt gets the
  // password the peer will use, which is the usual cause of error 1045 after a rebuild.
  return [
    {
      sql: `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${secret}`,
      display: `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${MASK}`,
    },
    { sql: `ALTER USER ${who} IDENTIFIED BY ${secret}`, display: `ALTER USER ${who} IDENTIFIED BY ${MASK}` },
    plain(`GRANT REPLICATION SLAVE ON *.* TO ${who}`),
  ];
}

export function autoIncrementLines(nodeCount: number, nodeIndex: number): string[] {
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 65535) {
    throw new Error(`Invalid node count ${nodeCount}`);
  }
  if (!Number.isInteger(nodeIndex) || nodeIndex < 1 || nodeIndex > nodeCount) {
    throw new Error(`Node index ${nodeIndex} must be between 1 and ${nodeCount}`);
  }
  // Each node hands out ids ≡ offset (mod increment), so concurrent inserts never collide.
  return [`auto_increment_increment = ${nodeCount}`, `auto_increment_offset = ${nodeIndex}`];
}

export function checkServerId(serverId: number): number {
  if (!Number.isInteger(serverId) || serverId < 1 || serverId > 4294967295) {
    throw new Error(`server_id must be 1..4294967295 (0 disables replication), got ${serverId}`);
  }
  return serverId;
}

// information_schema.USER_PRIVILEGES lists static and (MySQL 8) dynamic global privileges alike.
export function currentPrivilegesStatement(): Statement {
  return plain(
    'SELECT PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable FROM information_schema.USER_PRIVILEGES ' +
      "WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', " +
      "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')",
  );
}

/** The lossless semi-sync settings, in the order they are set (the enable switches last). */
export function semiSyncAssignments(names: {
  source: string;
  replica: string;
  noReplica: string;
}): [string, string | number | boolean][] {
  return [
    [`${names.source}_timeout`, 1000],
    // AFTER_SYNC: the commit becomes visible only after a replica has the event (lossless).
    [`${names.source}_wait_point`, 'AFTER_SYNC'],
    // No replica connected: commit at once (asynchronously) rather than stall each commit.
    [`${names.source}_${names.noReplica}`, false],
    [`${names.replica}_enabled`, true],
    [`${names.source}_enabled`, true],
  ];
}

/** Replication heartbeat in seconds: the console's failure detector asks replicas about it. */
export const HEARTBEAT_PERIOD_S = 0.1;
