import { describe, expect, it } from 'vitest';
import { conflictOf, replicationStoppedWords } from './stopped-words';

// The texts are MariaDB 10.11's own, copied from a lab run in which d1 committed a REGISTER's
// contact as it was killed and Kamailio wrote it again on d2: the restore then stopped here.

const DUP =
  "Could not execute Write_rows_v1 event on table kamailio.location; Duplicate entry 'uloc-1-6b0d67a5-61e0-d' for key 'ruid_idx', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log mysql-bin.000001, end_log_pos 22124020";
const MISSING =
  "Could not execute Delete_rows_v1 event on table kamailio.location; Can't find record in 'location', Error_code: 1032; handler error HA_ERR_KEY_NOT_FOUND; the event's master log mysql-bin.000003, end_log_pos 9961283";

describe('why the returning node stopped replicating, in words', () => {
  it('names the row of a duplicate key, the likely cause, and which copy to keep', () => {
    expect(conflictOf(DUP)).toEqual({
      table: 'kamailio.location',
      key: 'ruid_idx',
      value: 'uloc-1-6b0d67a5-61e0-d',
    });
    const w = replicationStoppedWords('d1', 'd2', { lastSqlErrno: 1062, lastSqlError: DUP });
    expect(w).toContain("(SQL error 1062: kamailio.location, key ruid_idx = 'uloc-1-6b0d67a5-61e0-d')");
    expect(w).toContain('the SIP server wrote it again on d2');
    expect(w).toContain('d1 stays fenced and d2 keeps taking the writes');
    expect(w).toContain("delete d1's copy of that row, then restore d1 again");
    // The statement's coordinates and handler internals stay on the server.
    expect(w).not.toMatch(/Write_rows|HA_ERR|end_log_pos|mysql-bin/);
  });

  it('says the histories differ when a row the survivor changes is missing', () => {
    expect(conflictOf(MISSING)).toEqual({ table: 'kamailio.location' });
    const w = replicationStoppedWords('d1', 'd2', { lastSqlErrno: 1032, lastSqlError: MISSING });
    expect(w).toMatch(
      /^Row not found on the replica: the nodes have diverged \(SQL error 1032: kamailio\.location\)\./,
    );
    expect(w).toContain("make d1's copy match d2's");
    expect(w).not.toMatch(/Delete_rows|HA_ERR|mysql-bin/);
  });

  it("never shows a key value of the console's own tables (hashes of session and token secrets)", () => {
    const session =
      "Could not execute Write_rows_v1 event on table kamailio.sipha_session; Duplicate entry '3f9a0c1d' for key 'PRIMARY', Error_code: 1062";
    expect(conflictOf(session)).toEqual({ table: 'kamailio.sipha_session', key: 'PRIMARY' });
    const w = replicationStoppedWords('d1', 'd2', { lastSqlErrno: 1062, lastSqlError: session });
    expect(w).toContain('(SQL error 1062: kamailio.sipha_session, key PRIMARY)');
    expect(w).not.toContain('3f9a0c1d');
  });

  it('cuts a long key value, and says only the title for other errors', () => {
    const long = `Could not execute Write_rows_v1 event on table kamailio.subscriber; Duplicate entry '${'x'.repeat(150)}' for key 'username_idx'`;
    expect(conflictOf(long).value).toBe(`${'x'.repeat(80)}…`);
    expect(
      replicationStoppedWords('d1', 'd2', {
        lastSqlErrno: 1146,
        lastSqlError: "Table 'kamailio.x' doesn't exist",
      }),
    ).toMatch(/\(SQL error 1146\)\. d1 stays fenced and d2 keeps taking the writes\.$/);
  });
});
