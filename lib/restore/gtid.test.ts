import { describe, expect, it } from 'vitest';
import { isMariadbGtidList, parseGtids } from '../dialect/gtid-mariadb';
import { gtidBehind, gtidEqual, waitTarget } from './gtid';

describe('restore GTID arithmetic', () => {
  it('parses MariaDB lists, keeping the highest seq per domain', () => {
    const m = parseGtids('1-1-18, 2-2-5,2-3-7');
    expect(m.get(1)).toEqual({ domain: 1, server: 1, seq: 18 });
    expect(m.get(2)?.seq).toBe(7);
    expect(parseGtids('').size).toBe(0);
  });
  it('recognises MySQL sets as not MariaDB', () => {
    expect(isMariadbGtidList('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77')).toBe(false);
    expect(isMariadbGtidList('1-1-18,2-2-1')).toBe(true);
  });
  it('waits only for the domains the target has not logged yet', () => {
    expect(waitTarget({ survivor: '1-1-18,2-2-40', target: '1-1-20,2-2-10' })).toBe('2-2-40');
    expect(waitTarget({ survivor: '1-1-18,2-2-40', target: '1-1-18,2-2-40' })).toBe('');
    expect(waitTarget({ survivor: '1-1-18,3-3-2', target: '1-1-18' })).toBe('3-3-2');
  });
  it('passes MySQL sets through unchanged', () => {
    const s = '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77';
    expect(waitTarget({ survivor: s, target: '' })).toBe(s);
    expect(gtidBehind({ survivor: s, target: s })).toBeNull();
  });
  it('counts the transactions behind', () => {
    expect(gtidBehind({ survivor: '1-1-18,2-2-40', target: '1-1-18,2-2-10' })).toBe(30);
    expect(gtidBehind({ survivor: '1-1-18', target: '1-1-25' })).toBe(0);
  });
  it('compares positions domain by domain', () => {
    expect(gtidEqual('1-1-18,2-2-1', '2-2-1, 1-1-18')).toBe(true);
    expect(gtidEqual('1-1-18,2-2-1', '1-1-18')).toBe(false);
    expect(gtidEqual('1-1-18', '1-1-19')).toBe(false);
  });
});
