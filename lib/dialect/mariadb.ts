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

// MariaDB 10.6 – 11.x. Uses the SLAVE/MASTER spellings on purpose: SHOW REPLICA STATUS and
// START/STOP REPLICA exist only from 10.5.1 and return exactly the same Slave_* columns, so the
// old spelling gains nothing by changing and keeps working on every MariaDB still in the field.

function changeMaster(s: SourceEndpoint) {
  const head = [
    `MASTER_HOST = ${quoteString(validateHost(s.host))}`,
    `MASTER_PORT = ${validatePort(s.port)}`,
    `MASTER_USER = ${quoteString(validateUser(s.user))}`,
  ];
  // slave_pos: resume from what this node has applied from its peer, not from its own binlog
  // (current_pos would also count this node's local writes, wrong in two-way replication).
  // A short heartbeat lets the console ask this replica whether it still hears from its source
  // before a failover (lib/db/detector): silence for 3 periods means the source is gone.
  const tail = `MASTER_USE_GTID = slave_pos, MASTER_HEARTBEAT_PERIOD = ${HEARTBEAT_PERIOD_S}`;
  return {
    sql: `CHANGE MASTER TO ${[...head, `MASTER_PASSWORD = ${quoteString(s.password)}`, tail].join(', ')}`,
    display: `CHANGE MASTER TO ${[...head, `MASTER_PASSWORD = ${MASK}`, tail].join(', ')}`,
  };
}

// MariaDB GTID lists: domain-server-seq, comma separated (empty = nothing applied yet).
function checkGtidList(gtid: string): string {
  if (!/^(?:\d+-\d+-\d+(?:,\d+-\d+-\d+)*)?$/.test(gtid))
    throw new Error(`Not a MariaDB GTID list: ${JSON.stringify(gtid)}`);
  return gtid;
}

// Built into the server since 10.3 (no plugin to install), all dynamic.
const SEMI_SYNC = semiSyncAssignments({
  source: 'rpl_semi_sync_master',
  replica: 'rpl_semi_sync_slave',
  noReplica: 'wait_no_slave',
});

// information_schema.GLOBAL_STATUS works with performance_schema off (the MariaDB default).
const status = (name: string) =>
  `(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '${name}')`;

function myCnf(s: NodeSettings): string {
  return [
    // [mariadbd] is read only by MariaDB (10.4.6+), so the file cannot confuse a MySQL server.
    '[mariadbd]',
    `server_id = ${checkServerId(s.serverId)}`,
    `log_bin = ${s.logBinBasename ?? 'mariadb-bin'}`,
    'binlog_format = ROW',
    // Needed so each node's binlog also carries what it applied from its peer; static.
    'log_slave_updates = ON',
    `gtid_domain_id = ${s.gtidDomainId}`,
    ...autoIncrementLines(s.nodeCount, s.nodeIndex),
    ...SEMI_SYNC.map(([name, value]) => variableAssignment(name, value)),
  ].join('\n');
}

export function mariadbDialect(version: ServerVersion): Dialect {
  // READ ONLY ADMIN exists from 10.5.2; from 10.11.0 SUPER no longer implies it (MDEV-29596),
  // so before 10.11 holders of SUPER can also write on a read-only node.
  const bypass = atLeast(version, 10, 11)
    ? ['READ_ONLY ADMIN']
    : atLeast(version, 10, 5, 2)
      ? ['READ_ONLY ADMIN', 'SUPER']
      : ['SUPER'];
  return {
    version,
    gtidModel: 'domain-list',
    replicaStatus: () => plain('SHOW SLAVE STATUS'),
    binlogStatus: () => plain('SHOW MASTER STATUS'),
    changeSource: changeMaster,
    startReplica: () => plain('START SLAVE'),
    stopReplica: () => plain('STOP SLAVE'),
    resetReplicaAll: () => plain('RESET SLAVE ALL'),
    gtidPositions: () =>
      plain(
        'SELECT @@GLOBAL.gtid_binlog_pos AS gtid_binlog_pos, @@GLOBAL.gtid_slave_pos AS gtid_slave_pos, ' +
          '@@GLOBAL.gtid_current_pos AS gtid_current_pos',
      ),
    waitForGtid: ({ gtid, timeoutSeconds }) =>
      plain('SELECT MASTER_GTID_WAIT(?, ?) AS result', [gtid, timeoutSeconds]),
    // InnoDB's consistent snapshot also pins the binlog position (binlog_snapshot_*), so
    // MariaDB needs no FLUSH TABLES WITH READ LOCK: writers are never blocked.
    consistentSnapshot: () => [
      { role: 'isolation', statement: plain('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ') },
      { role: 'begin', statement: plain('START TRANSACTION WITH CONSISTENT SNAPSHOT') },
      { role: 'coordinates', statement: plain("SHOW STATUS LIKE 'binlog_snapshot_%'") },
    ],
    gtidFromBinlogPos: ({ file, position }) =>
      plain('SELECT BINLOG_GTID_POS(?, ?) AS gtid', [file, position]),
    gtidPreflight: () =>
      plain(
        'SELECT @@GLOBAL.server_id AS server_id, @@GLOBAL.log_bin AS log_bin, ' +
          '@@GLOBAL.binlog_format AS binlog_format, @@GLOBAL.log_slave_updates AS log_replica_updates, ' +
          '@@GLOBAL.gtid_domain_id AS gtid_domain_id, @@GLOBAL.gtid_strict_mode AS gtid_strict_mode',
      ),
    // MariaDB always writes GTIDs; it only needs a domain id distinct from the peer's.
    enableGtid: ({ gtidDomainId }) => [
      plain(`SET GLOBAL ${variableAssignment('gtid_domain_id', gtidDomainId)}`),
    ],
    // MariaDB has no SET PERSIST: the change is lost on restart unless my.cnf says the same.
    setGlobalPersistent: ({ name, value }) => plain(`SET GLOBAL ${variableAssignment(name, value)}`),
    setReadOnly: ({ on }) => [plain(`SET GLOBAL read_only = ${on ? 'ON' : 'OFF'}`)],
    // Built into the server since 10.3: no plugin to check for.
    setSemiSyncSourceWait: ({ on }) =>
      plain(`SET GLOBAL rpl_semi_sync_master_enabled = ${on ? 'ON' : 'OFF'}`),
    semiSyncReplicaEnabled: () => plain('SELECT @@GLOBAL.rpl_semi_sync_slave_enabled AS replica_enabled'),
    semiSyncSettings: () =>
      plain(
        'SELECT @@GLOBAL.rpl_semi_sync_master_enabled AS source_enabled, ' +
          '@@GLOBAL.rpl_semi_sync_slave_enabled AS replica_enabled, ' +
          '@@GLOBAL.rpl_semi_sync_master_wait_point AS wait_point, ' +
          '@@GLOBAL.rpl_semi_sync_master_wait_no_slave AS wait_no_replica, ' +
          '@@GLOBAL.rpl_semi_sync_master_timeout AS timeout_ms',
      ),
    enableSemiSync: () =>
      SEMI_SYNC.map(([name, value]) => plain(`SET GLOBAL ${variableAssignment(name, value)}`)),
    semiSyncStatus: () =>
      plain(
        `SELECT ${status('Rpl_semi_sync_master_status')} AS source_status, ` +
          `${status('Rpl_semi_sync_master_clients')} AS source_clients, ` +
          `${status('Rpl_semi_sync_master_yes_tx')} AS source_yes_tx, ` +
          `${status('Rpl_semi_sync_master_no_tx')} AS source_no_tx, ` +
          `${status('Rpl_semi_sync_slave_status')} AS replica_status`,
      ),
    restartReplicaIo: () => [plain('STOP SLAVE IO_THREAD'), plain('START SLAVE IO_THREAD')],
    readOnlyBypassAccounts: () =>
      plain(
        'SELECT DISTINCT GRANTEE AS grantee FROM information_schema.USER_PRIVILEGES ' +
          `WHERE PRIVILEGE_TYPE IN (${bypass.map(quoteString).join(', ')}) ORDER BY grantee`,
      ),
    createReplicationUser: createReplicationUserStatements,
    // slave_pos replication resumes from gtid_slave_pos: the snapshot's position goes there.
    setReplicaStartPosition: ({ gtid }) => [
      plain(`SET GLOBAL gtid_slave_pos = ${quoteString(checkGtidList(gtid))}`),
    ],
    currentPrivileges: currentPrivilegesStatement,
    // From 10.5.2 SUPER was split; an account with ALL PRIVILEGES has every one of these.
    requiredAdminPrivileges: atLeast(version, 10, 5, 2)
      ? [
          ['GRANT OPTION'],
          ['CREATE USER'],
          ['REPLICATION SLAVE ADMIN'],
          ['BINLOG ADMIN'],
          ['SUPER'],
          ['SELECT'],
          ['INSERT'],
          ['CREATE'],
          ['DROP'],
        ]
      : [['GRANT OPTION'], ['CREATE USER'], ['SUPER'], ['SELECT'], ['INSERT'], ['CREATE'], ['DROP']],
    staticSettings: ['log_bin', 'log_slave_updates'],
    myCnfLines: myCnf,
  };
}
