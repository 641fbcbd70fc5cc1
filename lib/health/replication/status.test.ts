import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainReplicationError } from './advice.ts';
import { normalizeReplicaStatus, type StatusRow } from './status.ts';

// Rows under __golden__/status/ carry the full column sets: MariaDB's as reported by
// MariaDB 10.11.19 on this machine, MySQL's from the 8.0.22+/8.4 manual (no MySQL here).
function row(name: string): StatusRow {
  return JSON.parse(readFileSync(new URL(`./__golden__/status/${name}.json`, import.meta.url), 'utf8'));
}

describe('normalizeReplicaStatus — MariaDB', () => {
  it('healthy GTID replica', () => {
    expect(normalizeReplicaStatus('mariadb', row('mariadb-10.11-healthy'))).toEqual({
      ioRunning: 'Yes',
      sqlRunning: true,
      lastIoErrno: 0,
      lastIoError: '',
      lastSqlErrno: 0,
      lastSqlError: '',
      secondsBehind: 0,
      sourceHost: '10.0.0.1',
      sourcePort: 3306,
      gtidIoPos: '1-1-5120,2-2-311',
      usingGtid: true,
    });
  });
  it('SQL thread stopped on a duplicate key', () => {
    const s = normalizeReplicaStatus('mariadb', row('mariadb-10.11-dup-key'));
    expect(s).toMatchObject({ ioRunning: 'Yes', sqlRunning: false, lastSqlErrno: 1062, secondsBehind: null });
    expect(explainReplicationError({ errno: s.lastSqlErrno, message: s.lastSqlError }).title).toMatch(
      /Duplicate/,
    );
  });
  it('I/O thread connecting', () => {
    const s = normalizeReplicaStatus('mariadb', row('mariadb-10.11-connecting'));
    expect(s).toMatchObject({ ioRunning: 'Connecting', lastIoErrno: 2003, secondsBehind: null });
  });
  it('binlog-position replication, lag given as a string', () => {
    const s = normalizeReplicaStatus('mariadb', row('mariadb-11.4-no-gtid'));
    expect(s).toMatchObject({ usingGtid: false, gtidIoPos: '', secondsBehind: 17 });
  });
  it('SHOW ALL SLAVES STATUS adds connection name and applied position', () => {
    const all = { Connection_name: 'd1', Gtid_Slave_Pos: '1-1-5120', ...row('mariadb-10.11-healthy') };
    expect(normalizeReplicaStatus('mariadb', all)).toMatchObject({
      connectionName: 'd1',
      executedGtid: '1-1-5120',
    });
  });
  it("treats MariaDB's transient Preparing as Connecting", () => {
    const s = normalizeReplicaStatus('mariadb', {
      ...row('mariadb-10.11-healthy'),
      Slave_IO_Running: 'Preparing',
    });
    expect(s.ioRunning).toBe('Connecting');
  });
});

describe('normalizeReplicaStatus — MySQL', () => {
  it('healthy 8.0 replica, multi-line executed set joined', () => {
    expect(normalizeReplicaStatus('mysql', row('mysql-8.0-healthy'))).toEqual({
      ioRunning: 'Yes',
      sqlRunning: true,
      lastIoErrno: 0,
      lastIoError: '',
      lastSqlErrno: 0,
      lastSqlError: '',
      secondsBehind: 3,
      sourceHost: 'd1.example.net',
      sourcePort: 3306,
      gtidIoPos: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77',
      executedGtid: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77,8c1b4a2e-71ca-11e1-9e33-c80aa9429563:1-12',
      usingGtid: true,
    });
  });
  it('8.4 access denied while connecting', () => {
    const s = normalizeReplicaStatus('mysql', row('mysql-8.4-access-denied'));
    expect(s).toMatchObject({ ioRunning: 'Connecting', lastIoErrno: 1045, sqlRunning: true });
  });
  it('8.4 stopped replica, default channel has no name', () => {
    const s = normalizeReplicaStatus('mysql', row('mysql-8.4-stopped'));
    expect(s).toMatchObject({ ioRunning: 'No', sqlRunning: false, secondsBehind: null });
    expect(s.connectionName).toBeUndefined();
  });
  it('MySQL before 8.0.22 (Slave_/Master_ columns) and Buffer values', () => {
    const s = normalizeReplicaStatus('mysql', {
      Slave_IO_Running: Buffer.from('Yes'),
      Slave_SQL_Running: 'Yes',
      Master_Host: 'd1',
      Master_Port: '3307',
      Seconds_Behind_Master: null,
      Retrieved_Gtid_Set: '',
      Auto_Position: '0',
    });
    expect(s).toMatchObject({ ioRunning: 'Yes', sourcePort: 3307, secondsBehind: null, usingGtid: false });
  });
  it('an empty row (no replica configured) reads as stopped', () => {
    expect(normalizeReplicaStatus('mysql', {})).toMatchObject({ ioRunning: 'No', sqlRunning: false });
  });
});
