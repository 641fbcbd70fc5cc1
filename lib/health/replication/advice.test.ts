import { describe, expect, it } from 'vitest';
import { explainReplicationError, extractErrno } from './advice.ts';

describe('extractErrno', () => {
  it.each([
    [
      "error connecting to master 'repl@10.0.0.1:3306' - retry-time: 60  maximum-retries: 86400  message: Can't connect to server on '10.0.0.1' (111 \"Connection refused\"), Internal MariaDB error code: 2003",
      2003,
    ],
    ['Error: 2003', 2003],
    [
      "Could not execute Write_rows_v1 event on table kamailio.location; Duplicate entry '7' for key 'PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log mariadb-bin.000003, end_log_pos 1234",
      1062,
    ],
    [
      "Got fatal error 1236 from master when reading data from binary log: 'Could not find GTID state requested by slave in any binlog files.'",
      1236,
    ],
    [
      "[ERROR] [MY-010584] [Repl] Replica SQL for channel '': Worker 1 failed executing transaction; Error_code: MY-001032",
      1032,
    ],
    ['Fatal error: The slave I/O thread stops because master and slave have equal MariaDB server ids', 1593],
    ["Access denied for user 'repl'@'10.0.0.2' (using password: YES)", 1045],
    ["Unknown server host 'd9' (-2)", 2005],
    ['nothing useful here', null],
  ])('%s', (message, errno) => {
    expect(extractErrno(message)).toBe(errno);
  });
});

describe('explainReplicationError', () => {
  const direction = { from: 'd1', to: 'd2' };

  it('1062 explains auto-increment collisions and how to recover', () => {
    const e = explainReplicationError({ errno: 1062, message: "Duplicate entry '7'", direction });
    expect(e.severity).toBe('critical');
    expect(e.meaning).toMatch(/AUTO_INCREMENT/);
    expect(e.meaning).toContain('d2 (replicating from d1)');
    const fix = e.fix.join('\n');
    expect(fix).toMatch(/auto_increment_increment = the number of nodes/);
    expect(fix).toMatch(/auto_increment_offset/);
    expect(fix).toMatch(/sql_slave_skip_counter/);
    expect(fix).toMatch(/gtid_slave_pos/);
    expect(fix).toMatch(/CHECKSUM TABLE/);
  });

  it('tailors the skip instructions to the flavour', () => {
    const mysql = explainReplicationError({ errno: 1062, flavor: 'mysql' }).fix.join('\n');
    expect(mysql).toMatch(/GTID_NEXT/);
    expect(mysql).not.toMatch(/sql_slave_skip_counter/);
  });

  it.each([
    [1236, /fresh consistent snapshot/],
    [1045, /REPLICATION SLAVE/],
    [2003, /firewall/],
    [2005, /resolve/],
    [2026, /certificate/],
    [1032, /diverged/],
    [1146, /snapshot/],
    [1950, /gtid_domain_id/],
    [1951, /diverged/],
    [1593, /server_id/],
  ])('%i has specific advice', (errno, re) => {
    const e = explainReplicationError({ errno, direction });
    expect(e.errno).toBe(errno);
    expect(`${e.title} ${e.meaning} ${e.fix.join(' ')}`).toMatch(re);
    expect(e.fix.length).toBeGreaterThan(0);
  });

  it('extracts the errno from text when errno is 0 or missing', () => {
    const e = explainReplicationError({ errno: 0, message: 'Got fatal error 1236 from source when reading' });
    expect(e.errno).toBe(1236);
    expect(e.meaning).toContain('this replica');
  });

  it('falls back to generic advice', () => {
    const e = explainReplicationError({ errno: 1205, message: 'Lock wait timeout exceeded' });
    expect(e.title).toBe('Replication error 1205');
    expect(e.meaning).toContain('Lock wait timeout exceeded');
    expect(e.fix.join(' ')).toMatch(/Do not skip/);
  });
});
