gtid_model: uuid-set
replica_status: SHOW SLAVE STATUS
binlog_status: SHOW MASTER STATUS
change_source: CHANGE MASTER TO MASTER_HOST = 'd1.example.net', MASTER_PORT = 3306, MASTER_USER = 'repl', MASTER_PASSWORD = 'p''a\\ss"w;--\n', MASTER_AUTO_POSITION = 1, MASTER_HEARTBEAT_PERIOD = 0.1, GET_MASTER_PUBLIC_KEY = 1
change_source.display: CHANGE MASTER TO MASTER_HOST = 'd1.example.net', MASTER_PORT = 3306, MASTER_USER = 'repl', MASTER_PASSWORD = '********', MASTER_AUTO_POSITION = 1, MASTER_HEARTBEAT_PERIOD = 0.1, GET_MASTER_PUBLIC_KEY = 1
start_replica: START SLAVE
stop_replica: STOP SLAVE
reset_replica_all: RESET SLAVE ALL
gtid_positions: SELECT @@GLOBAL.gtid_executed AS gtid_executed, @@GLOBAL.gtid_purged AS gtid_purged
wait_for_gtid: SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS result  -- params ["1-1-100",10]
snapshot.1.lock: FLUSH TABLES WITH READ LOCK
snapshot.2.isolation: SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ
snapshot.3.begin: START TRANSACTION WITH CONSISTENT SNAPSHOT
snapshot.4.coordinates: SHOW MASTER STATUS
snapshot.5.gtid: SELECT @@GLOBAL.gtid_executed AS gtid_executed
snapshot.6.unlock: UNLOCK TABLES
gtid_preflight: SELECT @@GLOBAL.server_id AS server_id, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS binlog_format, @@GLOBAL.log_slave_updates AS log_replica_updates, @@GLOBAL.gtid_mode AS gtid_mode, @@GLOBAL.enforce_gtid_consistency AS enforce_gtid_consistency, @@GLOBAL.server_uuid AS server_uuid
enable_gtid.1: SET PERSIST enforce_gtid_consistency = ON
enable_gtid.2: SET PERSIST gtid_mode = OFF_PERMISSIVE
enable_gtid.3: SET PERSIST gtid_mode = ON_PERMISSIVE
enable_gtid.4: SET PERSIST gtid_mode = ON
set_global_persistent: SET PERSIST auto_increment_increment = 2
read_only_on.1: SET GLOBAL read_only = ON
read_only_on.2: SET GLOBAL super_read_only = ON
read_only_off.1: SET GLOBAL super_read_only = OFF
read_only_off.2: SET GLOBAL read_only = OFF
read_only_bypass_accounts: SELECT DISTINCT GRANTEE AS grantee FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN ('CONNECTION_ADMIN', 'SUPER') ORDER BY grantee
semi_sync_source_wait_on: SET GLOBAL rpl_semi_sync_master_enabled = ON
semi_sync_source_wait_off: SET GLOBAL rpl_semi_sync_master_enabled = OFF
semi_sync_replica_enabled: SELECT (SELECT VARIABLE_VALUE = 'ON' FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_slave_enabled') AS replica_enabled
semi_sync_settings: SELECT (SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_master_enabled') AS source_enabled, (SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_slave_enabled') AS replica_enabled, (SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_master_wait_point') AS wait_point, (SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_master_wait_no_slave') AS wait_no_replica, (SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'rpl_semi_sync_master_timeout') AS timeout_ms
enable_semi_sync.1: INSTALL PLUGIN rpl_semi_sync_master SONAME 'semisync_master.so'
enable_semi_sync.2: INSTALL PLUGIN rpl_semi_sync_slave SONAME 'semisync_slave.so'
enable_semi_sync.3: SET PERSIST rpl_semi_sync_master_timeout = 1000
enable_semi_sync.4: SET PERSIST rpl_semi_sync_master_wait_point = AFTER_SYNC
enable_semi_sync.5: SET PERSIST rpl_semi_sync_master_wait_no_slave = OFF
enable_semi_sync.6: SET PERSIST rpl_semi_sync_slave_enabled = ON
enable_semi_sync.7: SET PERSIST rpl_semi_sync_master_enabled = ON
enable_semi_sync_installed.1: SET PERSIST rpl_semi_sync_master_timeout = 1000
enable_semi_sync_installed.2: SET PERSIST rpl_semi_sync_master_wait_point = AFTER_SYNC
enable_semi_sync_installed.3: SET PERSIST rpl_semi_sync_master_wait_no_slave = OFF
enable_semi_sync_installed.4: SET PERSIST rpl_semi_sync_slave_enabled = ON
enable_semi_sync_installed.5: SET PERSIST rpl_semi_sync_master_enabled = ON
semi_sync_status: SELECT (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_status') AS source_status, (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_clients') AS source_clients, (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_yes_tx') AS source_yes_tx, (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_no_tx') AS source_no_tx, (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Rpl_semi_sync_slave_status') AS replica_status
restart_replica_io.1: STOP SLAVE IO_THREAD
restart_replica_io.2: START SLAVE IO_THREAD
create_replication_user.1: CREATE USER IF NOT EXISTS 'repl'@'10.0.0.%' IDENTIFIED BY 'pw'
create_replication_user.1.display: CREATE USER IF NOT EXISTS 'repl'@'10.0.0.%' IDENTIFIED BY '********'
create_replication_user.2: ALTER USER 'repl'@'10.0.0.%' IDENTIFIED BY 'pw'
create_replication_user.2.display: ALTER USER 'repl'@'10.0.0.%' IDENTIFIED BY '********'
create_replication_user.3: GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.0.0.%'
set_replica_start_position.1: RESET MASTER
set_replica_start_position.2: SET GLOBAL gtid_purged = '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77'
current_privileges: SELECT PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')
required_admin_privileges: GRANT OPTION, CREATE USER, REPLICATION_SLAVE_ADMIN | SUPER, SYSTEM_VARIABLES_ADMIN | SUPER, RELOAD, SELECT, INSERT, CREATE, DROP
static_settings: log_bin, log_slave_updates
my_cnf: [mysqld]
my_cnf: server_id = 2
my_cnf: log_bin = binlog
my_cnf: binlog_format = ROW
my_cnf: log_slave_updates = ON
my_cnf: gtid_mode = ON
my_cnf: enforce_gtid_consistency = ON
my_cnf: auto_increment_increment = 2
my_cnf: auto_increment_offset = 2
my_cnf: loose-rpl_semi_sync_master_timeout = 1000
my_cnf: loose-rpl_semi_sync_master_wait_point = AFTER_SYNC
my_cnf: loose-rpl_semi_sync_master_wait_no_slave = OFF
my_cnf: loose-rpl_semi_sync_slave_enabled = ON
my_cnf: loose-rpl_semi_sync_master_enabled = ON
