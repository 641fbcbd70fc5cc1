import type { Flavor } from '../../dialect/version.ts';

// Turns one row of SHOW SLAVE STATUS / SHOW REPLICA STATUS / SHOW ALL SLAVES STATUS into one
// shape. Columns are looked up by every known spelling rather than by flavour: MySQL before
// 8.0.22 still says Slave_IO_Running, and a MariaDB row may come from SHOW ALL SLAVES STATUS.

export type IoRunning = 'Yes' | 'No' | 'Connecting';

export interface ReplicaStatus {
  ioRunning: IoRunning;
  sqlRunning: boolean;
  lastIoErrno: number;
  lastIoError: string;
  lastSqlErrno: number;
  lastSqlError: string;
  /** null while the SQL thread is stopped or the lag is unknown. */
  secondsBehind: number | null;
  sourceHost: string;
  sourcePort: number | null;
  /** GTIDs received from the source: MariaDB Gtid_IO_Pos, MySQL Retrieved_Gtid_Set. */
  gtidIoPos: string;
  /** GTIDs applied: MySQL Executed_Gtid_Set, MariaDB Gtid_Slave_Pos (SHOW ALL SLAVES STATUS only). */
  executedGtid?: string;
  usingGtid: boolean;
  /** MariaDB multi-source connection name or MySQL channel; absent for the default one. */
  connectionName?: string;
}

export type StatusRow = Record<string, unknown>;

const COLUMNS = {
  io: ['Replica_IO_Running', 'Slave_IO_Running'],
  sql: ['Replica_SQL_Running', 'Slave_SQL_Running'],
  ioErrno: ['Last_IO_Errno'],
  ioError: ['Last_IO_Error'],
  sqlErrno: ['Last_SQL_Errno'],
  sqlError: ['Last_SQL_Error'],
  behind: ['Seconds_Behind_Source', 'Seconds_Behind_Master'],
  host: ['Source_Host', 'Master_Host'],
  port: ['Source_Port', 'Master_Port'],
  ioPos: ['Gtid_IO_Pos', 'Retrieved_Gtid_Set'],
  executed: ['Executed_Gtid_Set', 'Gtid_Slave_Pos'],
  usingGtid: ['Using_Gtid', 'Auto_Position'],
  connection: ['Connection_name', 'Channel_Name', 'Channel_name'],
} as const;

function pick(row: StatusRow, names: readonly string[]): unknown {
  for (const name of names) {
    if (row[name] !== undefined) return row[name];
  }
  // Drivers and proxies sometimes fold case; fall back to a case-insensitive match.
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const key = Object.keys(row).find((k) => wanted.has(k.toLowerCase()));
  return key === undefined ? undefined : row[key];
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function numberOrNull(value: unknown): number | null {
  const s = text(value).trim();
  if (s === '' || s.toUpperCase() === 'NULL') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function ioState(value: unknown): IoRunning {
  const s = text(value).trim().toLowerCase();
  if (s === 'yes') return 'Yes';
  if (s === 'no' || s === '') return 'No';
  // 'Connecting', and MariaDB's transient 'Preparing': the thread runs but has no source yet.
  return 'Connecting';
}

function gtidInUse(flavor: Flavor, value: unknown): boolean {
  const s = text(value).trim().toLowerCase();
  // MariaDB: Using_Gtid is No | Slave_Pos | Current_Pos. MySQL: Auto_Position is 0 | 1.
  return flavor === 'mariadb' ? s === 'slave_pos' || s === 'current_pos' : s === '1';
}

/** Normalises one status row; `flavor` decides how Using_Gtid / Auto_Position is read. */
export function normalizeReplicaStatus(flavor: Flavor, row: StatusRow): ReplicaStatus {
  const executed = text(pick(row, COLUMNS.executed)).replace(/\s+/g, '');
  const connection = text(pick(row, COLUMNS.connection));
  return {
    ioRunning: ioState(pick(row, COLUMNS.io)),
    sqlRunning: text(pick(row, COLUMNS.sql)).trim().toLowerCase() === 'yes',
    lastIoErrno: numberOrNull(pick(row, COLUMNS.ioErrno)) ?? 0,
    lastIoError: text(pick(row, COLUMNS.ioError)),
    lastSqlErrno: numberOrNull(pick(row, COLUMNS.sqlErrno)) ?? 0,
    lastSqlError: text(pick(row, COLUMNS.sqlError)),
    secondsBehind: numberOrNull(pick(row, COLUMNS.behind)),
    sourceHost: text(pick(row, COLUMNS.host)),
    sourcePort: numberOrNull(pick(row, COLUMNS.port)),
    // MySQL prints multi-UUID GTID sets over several lines; strip the newlines.
    gtidIoPos: text(pick(row, COLUMNS.ioPos)).replace(/\s+/g, ''),
    ...(executed ? { executedGtid: executed } : {}),
    usingGtid: gtidInUse(flavor, pick(row, COLUMNS.usingGtid)),
    ...(connection ? { connectionName: connection } : {}),
  };
}
