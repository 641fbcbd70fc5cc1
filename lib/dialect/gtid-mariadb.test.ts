import { describe, expect, it } from 'vitest';
import { formatGtids, parseGtids, ringStartPosition } from './gtid-mariadb';

describe('GTID lists', () => {
  it('round-trips, sorted by domain', () => {
    expect(formatGtids(parseGtids('2-2-7, 0-1-17,1-1-40'))).toBe('0-1-17,1-1-40,2-2-7');
    expect(formatGtids(parseGtids(''))).toBe('');
  });

  it('refuses what is not a GTID and keeps the highest sequence of a domain listed twice', () => {
    expect(() => parseGtids('1-1-18,garbage')).toThrow(/Not a GTID: garbage/);
    expect(() => parseGtids('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77')).toThrow(/Not a GTID/);
    expect(formatGtids(parseGtids('2-3-7,2-2-5'))).toBe('2-3-7');
  });

  it('a ring node names only GTIDs its source logged, and waits for the moved ones', () => {
    // the case seen in the lab: d2 copied at 1-1-1,0-1-51 with an empty binlog, d3 at 1-1-10,0-1-51
    expect(
      ringStartPosition({
        snapshot: '1-1-10,0-1-51',
        prevSnapshot: '1-1-1,0-1-51',
        prevEnd: '',
        middleDomains: [2],
      }),
    ).toEqual({ start: '1-1-10', waitFor: '1-1-10' });
    // a re-run: d2's binlog already held old events of domains 0 and 2
    expect(
      ringStartPosition({
        snapshot: '0-1-51,1-1-10,2-2-3',
        prevSnapshot: '0-1-51,1-1-10,2-2-3',
        prevEnd: '0-1-40,2-2-9',
        middleDomains: [2],
      }),
    ).toEqual({ start: '0-1-40,2-2-9', waitFor: '' });
  });
});
