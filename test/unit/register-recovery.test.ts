import { describe, expect, it } from 'vitest';
import {
  createdBetween,
  failedAfter,
  recoveryMs,
  type SippTiming,
} from '../../bench/lib/register-recovery.ts';

// 10 REGISTERs a second from t=0 to t=10 s; those started in [3 s, 5.5 s) never answered.
const timing: SippTiming = {
  periods: Array.from({ length: 11 }, (_, i) => ({ endMs: i * 1000, created: i === 0 ? 0 : 10 })),
  done: Array.from({ length: 100 }, (_, i) => ({ startMs: i * 100 + 1, rttMs: 5 })).filter(
    (d) => d.startMs < 3000 || d.startMs >= 5500,
  ),
};

describe('REGISTER recovery after a fault', () => {
  it('spreads sipp’s per-second counts over any window', () => {
    expect(createdBetween(timing, 0, 10_000)).toBe(100);
    expect(createdBetween(timing, 2500, 3000)).toBe(5);
  });
  it('finds the first whole second that is whole again, from the fault', () => {
    // Fault at 2.95 s: seconds 3, 4 and 5 are short, 6 is whole.
    expect(recoveryMs(timing, 2950, 7000)).toBe(3050);
    expect(failedAfter(timing, 2950, 7000)).toBe(25);
  });
  it('gives the cap when no second recovers', () => {
    expect(recoveryMs({ periods: timing.periods, done: [] }, 1000, 5000)).toBe(5000);
  });
});
