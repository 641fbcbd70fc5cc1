import { describe, expect, it } from 'vitest';
import { DRIVER_OPTIONS, plainRow, plainValue } from '@/lib/db/driver';

// The one driver shape, and the one way restore turns a row of it into values it can compare
// across nodes as JSON, show, and write back.

describe('driver options and plain values', () => {
  it('reads every column one way: dates as Date in UTC, big integers as numbers up to 2^53', () => {
    expect(DRIVER_OPTIONS).toMatchObject({
      dateStrings: false,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
    });
  });

  it('gives a Date as the DATETIME literal the server stores', () => {
    expect(plainValue(new Date('2030-05-28T21:32:15Z'))).toBe('2030-05-28 21:32:15');
    expect(plainValue(new Date('2030-05-28T21:32:15.250Z'))).toBe('2030-05-28 21:32:15.250');
    expect(plainValue(new Date(Number.NaN))).toBe('0000-00-00 00:00:00');
  });

  it('gives binary as hex and a bigint as its digits, everything else unchanged', () => {
    expect(plainRow({ b: Buffer.from([0xab, 0x01]), n: 12n, i: 7, s: 'x', z: null })).toEqual({
      b: 'ab01',
      n: '12',
      i: 7,
      s: 'x',
      z: null,
    });
  });

  it('keeps the order of two registrations when compared as text', () => {
    const older = plainValue(new Date('2030-01-02T03:04:05Z')) as string;
    const newer = plainValue(new Date('2030-01-10T00:00:00Z')) as string;
    expect(newer > older).toBe(true);
  });
});
