import type { Statement } from './quote.ts';
import type { ServerVersion } from './version.ts';

// The contract every flavour implements. Kept apart from index.ts so the flavour files can
// depend on it without a circular import.

export interface SourceEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface ReplicationAccount {
  user: string;
  /** Host part of the account: the peer's address (or a pattern such as 10.0.0.%). */
  host: string;
  password: string;
}

export type SnapshotStepRole = 'lock' | 'isolation' | 'begin' | 'coordinates' | 'gtid' | 'unlock';

export interface SnapshotStep {
  role: SnapshotStepRole;
  statement: Statement;
}

export interface NodeSettings {
  serverId: number;
  /** MariaDB only: must differ between the nodes so their GTID streams never collide. */
  gtidDomainId: number;
  /** Number of nodes that accept writes; becomes auto_increment_increment. */
  nodeCount: number;
  /** 1-based position of this node; becomes auto_increment_offset. */
  nodeIndex: number;
  /** Binary log base name; defaults to a flavour-appropriate one. */
  logBinBasename?: string;
}

export interface Dialect {
  version: ServerVersion;
  /** MariaDB: per-domain positions the replica is told (gtid_slave_pos); MySQL: UUID sets it sends itself. */
  gtidModel: 'domain-list' | 'uuid-set';
  replicaStatus(): Statement;
  binlogStatus(): Statement;
  changeSource(source: SourceEndpoint): Statement;
  startReplica(): Statement;
  stopReplica(): Statement;
  resetReplicaAll(): Statement;
  /** One row, one column per position variable, named after the variable. */
  gtidPositions(): Statement;
  /** One row, column `result`: 0 = reached; MariaDB -1 / MySQL 1 = timed out. */
  waitForGtid(args: { gtid: string; timeoutSeconds: number }): Statement;
  /** Run in order on ONE dedicated connection; dump the data between `coordinates` and the end. */
  consistentSnapshot(): SnapshotStep[];
  /** MariaDB: GTID position matching binlog file/offset (from binlog_snapshot_*); MySQL: null. */
  gtidFromBinlogPos(args: { file: string; position: number }): Statement | null;
  /** One row with the variables the GTID preflight checks, aliased to neutral names. */
  gtidPreflight(): Statement;
  /** Dynamic changes that turn GTID replication on for this node (run in order). */
  enableGtid(args: { gtidDomainId: number }): Statement[];
  setGlobalPersistent(args: { name: string; value: string | number | boolean }): Statement;
  setReadOnly(args: { on: boolean }): Statement[];
  /** Semi-synchronous source wait on/off (restore turns it back on after a failover turned it off). */
  setSemiSyncSourceWait(args: { on: boolean }): Statement;
  /** One row, column `replica_enabled` (1/0/NULL): whether this node acknowledges as a semi-sync replica. */
  semiSyncReplicaEnabled(): Statement;
  /**
   * One row: `source_enabled`, `replica_enabled` (ON/OFF or 1/0; NULL where the MySQL plugin is
   * not installed), `wait_point`, `wait_no_replica`, `timeout_ms`.
   */
  semiSyncSettings(): Statement;
  /**
   * Lossless semi-sync (AFTER_SYNC, no wait without a connected replica, 1 s timeout) as both
   * source and replica. MySQL installs the plugins the caller says are missing; MariaDB has them built in.
   */
  enableSemiSync(args: { installSourcePlugin: boolean; installReplicaPlugin: boolean }): Statement[];
  /**
   * One row: `source_status` (ON/OFF), `source_clients`, `source_yes_tx`, `source_no_tx`,
   * `replica_status` (ON/OFF: this node's IO thread acknowledges semi-sync). NULL when absent.
   */
  semiSyncStatus(): Statement;
  /** A replica registers as semi-sync only when its IO thread (re)connects. */
  restartReplicaIo(): Statement[];
  /** Lists grantees (column `grantee`) whose privileges let them write despite read_only. */
  readOnlyBypassAccounts(): Statement;
  createReplicationUser(account: ReplicationAccount): Statement[];
  /** Where a replica starts after a snapshot copy: the GTID position the snapshot recorded. */
  setReplicaStartPosition(args: { gtid: string }): Statement[];
  /** Rows (privilege, grantable) of the connected account's global privileges. */
  currentPrivileges(): Statement;
  /** Privileges the wizard's admin account needs; each entry lists acceptable alternatives. */
  requiredAdminPrivileges: readonly (readonly string[])[];
  /** Settings that only take effect after a restart (so must be in my.cnf). */
  staticSettings: readonly string[];
  myCnfLines(settings: NodeSettings): string;
}
