import { MASK, plain, quoteString, validateHost, validatePort, validateUser } from './quote.ts';
import {
  autoIncrementLines,
  checkServerId,
  createReplicationUserStatements,
  currentPrivilegesStatement,
  HEARTBEAT_PERIOD_S,
  semiSyncAssignments,
  variableAssignment,
} from './shared.ts';
import type { Dialect, NodeSettings, SourceEndpoint } from './types.ts';
import { atLeast, type ServerVersion } from './version.ts';

// MySQL 8.0 / 8.4 (and later). The vocabulary moved in steps: 8.0.22 SHOW/START/STOP/RESET
// REPLICA, 8.0.23 CHANGE REPLICATION SOURCE TO, 8.0.26 log_replica_updates, 8.2 SHOW BINARY
// LOG STATUS; 8.4 removed the old spellings, so each one is chosen by version here.

function changeSource(v: ServerVersion, s: SourceEndpoint) {
  // Before 8.0.23 only the MASTER_* spelling exists.
  const p = atLeast(v, 8, 0, 23) ? 'SOURCE' : 'MASTER';
  const head = [
    `${p}_HOST = ${quoteString(validateHost(s.host))}`,
    `${p}_PORT = ${validatePort(s.port)}`,
    `${p}_USER = ${quoteString(validateUser(s.user))}`,
  ];
  // caching_sha2_password (the 8.x default) refuses a non-TLS connection unless the replica
  // may fetch the source's RSA key to encrypt the password.
  const tail = [
    `${p}_AUTO_POSITION = 1`,
    `${p}_HEARTBEAT_PERIOD = ${HEARTBEAT_PERIOD_S}`,
    `GET_${p}_PUBLIC_KEY = 1`,
  ];
  const verb = p === 'SOURCE' ? 'CHANGE REPLICATION SOURCE TO' : 'CHANGE MASTER TO';
  return {
    sql: `${verb} ${[...head, `${p}_PASSWORD = ${quoteString(s.password)}`, ...tail].join(', ')}`,
    display: `${verb} ${[...head, `${p}_PASSWORD = ${MASK}`, ...tail].join(', ')}`,
  };
}

// MySQL GTID sets: uuid:interval[:interval...], comma separated.
function checkGtidSet(gtid: string): string {
  if (!/^[0-9a-fA-F:,\s-]*$/.test(gtid)) throw new Error(`Not a MySQL GTID set: ${JSON.stringify(gtid)}`);
  return gtid.replace(/\s+/g, '');
}

// 8.0.26 renamed the semi-sync plugins and their variables (master/slave -> source/replica);
// the old plugins still ship with 8.0 but 8.4 documents only the new ones.
function semiSyncNames(v: ServerVersion) {
  const renamed = atLeast(v, 8, 0, 26);
  return {
    source: renamed ? 'rpl_semi_sync_source' : 'rpl_semi_sync_master',
    replica: renamed ? 'rpl_semi_sync_replica' : 'rpl_semi_sync_slave',
    noReplica: renamed ? 'wait_no_replica' : 'wait_no_slave',
    sourceLib: renamed ? 'semisync_source.so' : 'semisync_master.so',
    replicaLib: renamed ? 'semisync_replica.so' : 'semisync_slave.so',
  };
}

// Plugin variables exist only once the plugin is loaded: read them where a missing one is NULL
// instead of an error (performance_schema is on by default in MySQL 8).
const variable = (name: string) =>
  `(SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = '${name}')`;
const status = (name: string) =>
  `(SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = '${name}')`;

function myCnf(v: ServerVersion, s: NodeSettings): string {
  const n = semiSyncNames(v);
  return [
    '[mysqld]',
    `server_id = ${checkServerId(s.serverId)}`,
    `log_bin = ${s.logBinBasename ?? 'binlog'}`,
    // binlog_format is deprecated from 8.0.34 but ROW is still the default and still accepted.
    'binlog_format = ROW',
    // ON by default in 8.x; written anyway so a distro my.cnf cannot silently turn it off.
    atLeast(v, 8, 0, 26) ? 'log_replica_updates = ON' : 'log_slave_updates = ON',
    'gtid_mode = ON',
    'enforce_gtid_consistency = ON',
    ...autoIncrementLines(s.nodeCount, s.nodeIndex),
    // INSTALL PLUGIN (Apply) registers the plugins in mysql.plugin, so they load at every
    // start; loose- keeps a server whose plugin is missing from refusing to start.
    ...semiSyncAssignments(n).map(([name, value]) => `loose-${variableAssignment(name, value)}`),
  ].join('\n');
}

export function mysqlDialect(version: ServerVersion): Dialect {
  const replica = atLeast(version, 8, 0, 22) ? 'REPLICA' : 'SLAVE';
  const binlogStatus = atLeast(version, 8, 2) ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
  const replicaUpdates = atLeast(version, 8, 0, 26) ? 'log_replica_updates' : 'log_slave_updates';
  const semi = semiSyncNames(version);
  return {
    version,
    gtidModel: 'uuid-set',
    replicaStatus: () => plain(`SHOW ${replica} STATUS`),
    binlogStatus: () => plain(binlogStatus),
    changeSource: (s) => changeSource(version, s),
    startReplica: () => plain(`START ${replica}`),
    stopReplica: () => plain(`STOP ${replica}`),
    resetReplicaAll: () => plain(`RESET ${replica} ALL`),
    gtidPositions: () =>
      plain('SELECT @@GLOBAL.gtid_executed AS gtid_executed, @@GLOBAL.gtid_purged AS gtid_purged'),
    waitForGtid: ({ gtid, timeoutSeconds }) =>
      plain('SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS result', [gtid, timeoutSeconds]),
    // The mysqldump --single-transaction --source-data sequence: a brief global read lock so
    // the snapshot, the binlog position and gtid_executed all describe the same instant.
    consistentSnapshot: () => [
      { role: 'lock', statement: plain('FLUSH TABLES WITH READ LOCK') },
      { role: 'isolation', statement: plain('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ') },
      { role: 'begin', statement: plain('START TRANSACTION WITH CONSISTENT SNAPSHOT') },
      { role: 'coordinates', statement: plain(binlogStatus) },
      { role: 'gtid', statement: plain('SELECT @@GLOBAL.gtid_executed AS gtid_executed') },
      { role: 'unlock', statement: plain('UNLOCK TABLES') },
    ],
    gtidFromBinlogPos: () => null,
    gtidPreflight: () =>
      plain(
        'SELECT @@GLOBAL.server_id AS server_id, @@GLOBAL.log_bin AS log_bin, ' +
          `@@GLOBAL.binlog_format AS binlog_format, @@GLOBAL.${replicaUpdates} AS log_replica_updates, ` +
          '@@GLOBAL.gtid_mode AS gtid_mode, @@GLOBAL.enforce_gtid_consistency AS enforce_gtid_consistency, ' +
          '@@GLOBAL.server_uuid AS server_uuid',
      ),
    // gtid_mode may only move one step at a time. Before the final step every server must
    // have ONGOING_ANONYMOUS_TRANSACTION_COUNT = 0 (the caller checks; see the manual).
    enableGtid: () =>
      [
        'enforce_gtid_consistency = ON',
        'gtid_mode = OFF_PERMISSIVE',
        'gtid_mode = ON_PERMISSIVE',
        'gtid_mode = ON',
      ].map((a) => plain(`SET PERSIST ${a}`)),
    setGlobalPersistent: ({ name, value }) => plain(`SET PERSIST ${variableAssignment(name, value)}`),
    // super_read_only also stops SUPER/CONNECTION_ADMIN holders (the console's own admin
    // account included) and implies read_only; turning read_only OFF clears both.
    setReadOnly: ({ on }) =>
      on
        ? [plain('SET GLOBAL read_only = ON'), plain('SET GLOBAL super_read_only = ON')]
        : [plain('SET GLOBAL super_read_only = OFF'), plain('SET GLOBAL read_only = OFF')],
    // 8.0.26 renamed the plugin variables (rpl_semi_sync_source_*, rpl_semi_sync_replica_*); the
    // plugin must be installed, otherwise the statement fails and the caller reports it.
    setSemiSyncSourceWait: ({ on }) =>
      plain(
        `SET GLOBAL rpl_semi_sync_${atLeast(version, 8, 0, 26) ? 'source' : 'master'}_enabled = ${on ? 'ON' : 'OFF'}`,
      ),
    semiSyncReplicaEnabled: () =>
      plain(
        atLeast(version, 8, 0, 26)
          ? "SELECT (SELECT VARIABLE_VALUE = 'ON' FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_replica_enabled') AS replica_enabled"
          : "SELECT (SELECT VARIABLE_VALUE = 'ON' FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_slave_enabled') AS replica_enabled",
      ),
    semiSyncSettings: () =>
      plain(
        `SELECT ${variable(`${semi.source}_enabled`)} AS source_enabled, ` +
          `${variable(`${semi.replica}_enabled`)} AS replica_enabled, ` +
          `${variable(`${semi.source}_wait_point`)} AS wait_point, ` +
          `${variable(`${semi.source}_${semi.noReplica}`)} AS wait_no_replica, ` +
          `${variable(`${semi.source}_timeout`)} AS timeout_ms`,
      ),
    // The documented sequence: INSTALL PLUGIN (once; it fails if already installed, hence the
    // caller's flags), then the variables, persisted with SET PERSIST.
    enableSemiSync: ({ installSourcePlugin, installReplicaPlugin }) => [
      ...(installSourcePlugin
        ? [plain(`INSTALL PLUGIN ${semi.source} SONAME ${quoteString(semi.sourceLib)}`)]
        : []),
      ...(installReplicaPlugin
        ? [plain(`INSTALL PLUGIN ${semi.replica} SONAME ${quoteString(semi.replicaLib)}`)]
        : []),
      ...semiSyncAssignments(semi).map(([name, value]) =>
        plain(`SET PERSIST ${variableAssignment(name, value)}`),
      ),
    ],
    semiSyncStatus: () => {
      const s = (x: string) => status(`Rpl_semi_sync_${x}`);
      const src = semi.source.replace('rpl_semi_sync_', '');
      const rep = semi.replica.replace('rpl_semi_sync_', '');
      return plain(
        `SELECT ${s(`${src}_status`)} AS source_status, ${s(`${src}_clients`)} AS source_clients, ` +
          `${s(`${src}_yes_tx`)} AS source_yes_tx, ${s(`${src}_no_tx`)} AS source_no_tx, ` +
          `${s(`${rep}_status`)} AS replica_status`,
      );
    },
    restartReplicaIo: () => [plain(`STOP ${replica} IO_THREAD`), plain(`START ${replica} IO_THREAD`)],
    // CONNECTION_ADMIN (or the deprecated SUPER) bypasses read_only, not super_read_only.
    readOnlyBypassAccounts: () =>
      plain(
        'SELECT DISTINCT GRANTEE AS grantee FROM information_schema.USER_PRIVILEGES ' +
          "WHERE PRIVILEGE_TYPE IN ('CONNECTION_ADMIN', 'SUPER') ORDER BY grantee",
      ),
    createReplicationUser: createReplicationUserStatements,
    // gtid_purged may only be set on a server whose gtid_executed is empty, so the replica's own
    // binlog is reset first (8.4 renamed RESET MASTER). Never run here: no MySQL server.
    setReplicaStartPosition: ({ gtid }) => [
      plain(atLeast(version, 8, 4) ? 'RESET BINARY LOGS AND GTIDS' : 'RESET MASTER'),
      plain(`SET GLOBAL gtid_purged = ${quoteString(checkGtidSet(gtid))}`),
    ],
    currentPrivileges: currentPrivilegesStatement,
    requiredAdminPrivileges: [
      ['GRANT OPTION'],
      ['CREATE USER'],
      ['REPLICATION_SLAVE_ADMIN', 'SUPER'],
      ['SYSTEM_VARIABLES_ADMIN', 'SUPER'],
      ['RELOAD'],
      ['SELECT'],
      ['INSERT'],
      ['CREATE'],
      ['DROP'],
    ],
    // server_id is dynamic on MySQL too; these are the ones that need a restart.
    staticSettings: ['log_bin', replicaUpdates],
    myCnfLines: (s) => myCnf(version, s),
  };
}
