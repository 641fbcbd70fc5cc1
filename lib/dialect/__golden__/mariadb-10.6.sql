gtid_model: domain-list
replica_status: SHOW SLAVE STATUS
binlog_status: SHOW MASTER STATUS
change_source: CHANGE MASTER TO MASTER_HOST = 'd1.example.net', MASTER_PORT = 3306, MASTER_USER = 'repl', MASTER_PASSWORD = 'p''a\\ss"w;--\n', MASTER_USE_GTID = slave_pos, MASTER_HEARTBEAT_PERIOD = 0.1
change_source.display: CHANGE MASTER TO MASTER_HOST = 'd1.example.net', MASTER_PORT = 3306, MASTER_USER = 'repl', MASTER_PASSWORD = '********', MASTER_USE_GTID = slave_pos, MASTER_HEARTBEAT_PERIOD = 0.1
start_replica: START SLAVE
stop_replica: STOP SLAVE
reset_replica_all: RESET SLAVE ALL
gtid_positions: SELECT @@GLOBAL.gtid_binlog_pos AS gtid_binlog_pos, @@GLOBAL.gtid_slave_pos AS gtid_slave_pos, @@GLOBAL.gtid_current_pos AS gtid_current_pos
wait_for_gtid: SELECT MASTER_GTID_WAIT(?, ?) AS result  -- params ["1-1-100",10]
snapshot.1.isolation: SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ
snapshot.2.begin: START TRANSACTION WITH CONSISTENT SNAPSHOT
snapshot.3.coordinates: SHOW STATUS LIKE 'binlog_snapshot_%'
gtid_from_binlog_pos: SELECT BINLOG_GTID_POS(?, ?) AS gtid  -- params ["mariadb-bin.000042",1234]
gtid_preflight: SELECT @@GLOBAL.server_id AS server_id, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS binlog_format, @@GLOBAL.log_slave_updates AS log_replica_updates, @@GLOBAL.gtid_domain_id AS gtid_domain_id, @@GLOBAL.gtid_strict_mode AS gtid_strict_mode
enable_gtid.1: SET GLOBAL gtid_domain_id = 2
set_global_persistent: SET GLOBAL auto_increment_increment = 2
read_only_on.1: SET GLOBAL read_only = ON
read_only_off.1: SET GLOBAL read_only = OFF
read_only_bypass_accounts: SELECT DISTINCT GRANTEE AS grantee FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN ('READ_ONLY ADMIN', 'SUPER') ORDER BY grantee
semi_sync_source_wait_on: SET GLOBAL rpl_semi_sync_master_enabled = ON
semi_sync_source_wait_off: SET GLOBAL rpl_semi_sync_master_enabled = OFF
semi_sync_replica_enabled: SELECT @@GLOBAL.rpl_semi_sync_slave_enabled AS replica_enabled
semi_sync_settings: SELECT @@GLOBAL.rpl_semi_sync_master_enabled AS source_enabled, @@GLOBAL.rpl_semi_sync_slave_enabled AS replica_enabled, @@GLOBAL.rpl_semi_sync_master_wait_point AS wait_point, @@GLOBAL.rpl_semi_sync_master_wait_no_slave AS wait_no_replica, @@GLOBAL.rpl_semi_sync_master_timeout AS timeout_ms
enable_semi_sync.1: SET GLOBAL rpl_semi_sync_master_timeout = 1000
enable_semi_sync.2: SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC
enable_semi_sync.3: SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF
enable_semi_sync.4: SET GLOBAL rpl_semi_sync_slave_enabled = ON
enable_semi_sync.5: SET GLOBAL rpl_semi_sync_master_enabled = ON
enable_semi_sync_installed.1: SET GLOBAL rpl_semi_sync_master_timeout = 1000
enable_semi_sync_installed.2: SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC
enable_semi_sync_installed.3: SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF
enable_semi_sync_installed.4: SET GLOBAL rpl_semi_sync_slave_enabled = ON
enable_semi_sync_installed.5: SET GLOBAL rpl_semi_sync_master_enabled = ON
semi_sync_status: SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_status') AS source_status, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_clients') AS source_clients, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_yes_tx') AS source_yes_tx, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_no_tx') AS source_no_tx, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_slave_status') AS replica_status
restart_replica_io.1: STOP SLAVE IO_THREAD
restart_replica_io.2: START SLAVE IO_THREAD
create_replication_user.1: CREATE USER IF NOT EXISTS 'repl'@'10.0.0.%' IDENTIFIED BY 'pw'
create_replication_user.1.display: CREATE USER IF NOT EXISTS 'repl'@'10.0.0.%' IDENTIFIED BY '********'
create_replication_user.2: ALTER USER 'repl'@'10.0.0.%' IDENTIFIED BY 'pw'
create_replication_user.2.display: ALTER USER 'repl'@'10.0.0.%' IDENTIFIED BY '********'
create_replication_user.3: GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.0.0.%'
set_replica_start_position.1: SET GLOBAL gtid_slave_pos = '0-1-42,1-1-7'
current_privileges: SELECT PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')
required_admin_privileges: GRANT OPTION, CREATE USER, REPLICATION SLAVE ADMIN, BINLOG ADMIN, SUPER, SELECT, INSERT, CREATE, DROP
static_settings: log_bin, log_slave_updates
my_cnf: [mariadbd]
my_cnf: server_id = 2
my_cnf: log_bin = mariadb-bin
my_cnf: binlog_format = ROW
my_cnf: log_slave_updates = ON
my_cnf: gtid_domain_id = 2
my_cnf: auto_increment_increment = 2
my_cnf: auto_increment_offset = 2
my_cnf: rpl_semi_sync_master_timeout = 1000
my_cnf: rpl_semi_sync_master_wait_point = AFTER_SYNC
my_cnf: rpl_semi_sync_master_wait_no_slave = OFF
my_cnf: rpl_semi_sync_slave_enabled = ON
my_cnf: rpl_semi_sync_master_enabled = ON
