import { dialectFor } from './index.ts';

// Renders every statement a dialect produces as `label: sql` lines, one statement per line,
// so a reviewer can diff the SQL of each flavour and version at a glance. Used by
// dialect.test.ts (golden files in __golden__/) and by the MariaDB parse check.

/** Versions with a golden file: name -> SELECT VERSION() as the server reports it. */
export const GOLDEN_VERSIONS: Record<string, string> = {
  'mariadb-10.6': '10.6.18-MariaDB-0ubuntu0.22.04.1',
  'mariadb-10.11': '10.11.19-MariaDB-0+deb12u1-log',
  'mariadb-11.4': '11.4.2-MariaDB',
  'mysql-8.0.21': '8.0.21',
  'mysql-8.0': '8.0.36',
  'mysql-8.4': '8.4.0',
};

// Deliberately nasty password so the goldens also pin down the quoting.
const SOURCE = { host: 'd1.example.net', port: 3306, user: 'repl', password: 'p\'a\\ss"w;--\n' };

const startGtid = (flavor: string) =>
  flavor === 'mariadb' ? '0-1-42,1-1-7' : '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77';

export function renderGolden(version: string): string {
  const d = dialectFor(version);
  const lines: string[] = [];
  const add = (label: string, sql: string, params?: readonly (string | number)[]) =>
    lines.push(`${label}: ${sql}${params ? `  -- params ${JSON.stringify(params)}` : ''}`);
  const stmt = (
    label: string,
    s: { sql: string; display: string; params?: readonly (string | number)[] },
  ) => {
    add(label, s.sql, s.params);
    if (s.display !== s.sql) add(`${label}.display`, s.display);
  };
  lines.push(`gtid_model: ${d.gtidModel}`);
  stmt('replica_status', d.replicaStatus());
  stmt('binlog_status', d.binlogStatus());
  stmt('change_source', d.changeSource(SOURCE));
  stmt('start_replica', d.startReplica());
  stmt('stop_replica', d.stopReplica());
  stmt('reset_replica_all', d.resetReplicaAll());
  stmt('gtid_positions', d.gtidPositions());
  stmt('wait_for_gtid', d.waitForGtid({ gtid: '1-1-100', timeoutSeconds: 10 }));
  for (const [i, step] of d.consistentSnapshot().entries())
    stmt(`snapshot.${i + 1}.${step.role}`, step.statement);
  const pos = d.gtidFromBinlogPos({ file: 'mariadb-bin.000042', position: 1234 });
  if (pos) stmt('gtid_from_binlog_pos', pos);
  stmt('gtid_preflight', d.gtidPreflight());
  for (const [i, s] of d.enableGtid({ gtidDomainId: 2 }).entries()) stmt(`enable_gtid.${i + 1}`, s);
  stmt('set_global_persistent', d.setGlobalPersistent({ name: 'auto_increment_increment', value: 2 }));
  for (const [i, s] of d.setReadOnly({ on: true }).entries()) stmt(`read_only_on.${i + 1}`, s);
  for (const [i, s] of d.setReadOnly({ on: false }).entries()) stmt(`read_only_off.${i + 1}`, s);
  stmt('read_only_bypass_accounts', d.readOnlyBypassAccounts());
  stmt('semi_sync_source_wait_on', d.setSemiSyncSourceWait({ on: true }));
  stmt('semi_sync_source_wait_off', d.setSemiSyncSourceWait({ on: false }));
  stmt('semi_sync_replica_enabled', d.semiSyncReplicaEnabled());
  stmt('semi_sync_settings', d.semiSyncSettings());
  const install = { installSourcePlugin: true, installReplicaPlugin: true };
  for (const [i, s] of d.enableSemiSync(install).entries()) stmt(`enable_semi_sync.${i + 1}`, s);
  const installed = { installSourcePlugin: false, installReplicaPlugin: false };
  for (const [i, s] of d.enableSemiSync(installed).entries()) stmt(`enable_semi_sync_installed.${i + 1}`, s);
  stmt('semi_sync_status', d.semiSyncStatus());
  for (const [i, s] of d.restartReplicaIo().entries()) stmt(`restart_replica_io.${i + 1}`, s);
  const account = { user: 'repl', host: '10.0.0.%', password: 'pw' };
  for (const [i, s] of d.createReplicationUser(account).entries())
    stmt(`create_replication_user.${i + 1}`, s);
  for (const [i, s] of d.setReplicaStartPosition({ gtid: startGtid(d.version.flavor) }).entries())
    stmt(`set_replica_start_position.${i + 1}`, s);
  stmt('current_privileges', d.currentPrivileges());
  lines.push(`required_admin_privileges: ${d.requiredAdminPrivileges.map((p) => p.join(' | ')).join(', ')}`);
  lines.push(`static_settings: ${d.staticSettings.join(', ')}`);
  const cnf = d.myCnfLines({ serverId: 2, gtidDomainId: 2, nodeCount: 2, nodeIndex: 2 });
  for (const line of cnf.split('\n')) lines.push(`my_cnf: ${line}`);
  return `${lines.join('\n')}\n`;
}
