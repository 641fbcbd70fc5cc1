import { describe, expect, it } from 'vitest';
import { BeatHistory, lagMs } from './lag';

const T = 1_700_000_000_000;

describe('lagMs', () => {
  it('is 0 when the replica has the newest beat the source wrote', () => {
    const h = new BeatHistory();
    h.record({ seq: 1, at: T });
    h.record({ seq: 2, at: T + 1000 });
    expect(lagMs({ seen: { seq: 2, at: T + 1000 }, readerNow: T + 1400, history: h })).toBe(0);
  });

  it('is the age of the oldest beat the replica has not applied', () => {
    const h = new BeatHistory();
    for (let i = 0; i < 10; i++) h.record({ seq: i + 1, at: T + i * 1000 });
    // The replica stopped applying after beat 3: beat 4 was written at T+3000.
    expect(lagMs({ seen: { seq: 3, at: T + 2000 }, readerNow: T + 9500, history: h })).toBe(6500);
  });

  it('falls back to one beat interval when the history does not know the next beat', () => {
    const h = new BeatHistory();
    expect(lagMs({ seen: { seq: 3, at: T }, readerNow: T + 4000, history: h })).toBe(3000);
    expect(lagMs({ seen: { seq: 3, at: T }, readerNow: T + 500, history: h })).toBe(0);
  });

  it('is null when the replica has no row for the source yet', () => {
    expect(lagMs({ seen: undefined, readerNow: T, history: new BeatHistory() })).toBeNull();
  });

  it('never goes negative when the reader clock is behind the writer (clock skew)', () => {
    const h = new BeatHistory();
    h.record({ seq: 1, at: T });
    h.record({ seq: 2, at: T + 1000 });
    expect(lagMs({ seen: { seq: 1, at: T }, readerNow: T + 900, history: h })).toBe(0);
  });

  it('keeps a bounded, rising history', () => {
    const h = new BeatHistory(3);
    for (let i = 1; i <= 5; i++) h.record({ seq: i, at: i });
    h.record({ seq: 4, at: 99 });
    expect(h.newest).toEqual({ seq: 5, at: 5 });
    expect(h.after(0)).toEqual({ seq: 3, at: 3 });
  });
});
