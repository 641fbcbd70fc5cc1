import { afterEach, describe, expect, it, vi } from 'vitest';
import { every } from './every';

afterEach(() => {
  vi.useRealTimers();
});

describe('every', () => {
  it('runs a round at once, skips ticks while one is still running, and stops', async () => {
    vi.useFakeTimers();
    let started = 0;
    let finish = () => {};
    const stop = every(100, () => {
      started++;
      return new Promise<void>((r) => {
        finish = r;
      });
    });
    expect(started).toBe(1);
    await vi.advanceTimersByTimeAsync(350); // three ticks while the first round hangs
    expect(started).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toBe(2);
    finish();
    stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(2);
  });

  it('keeps going after a round that throws', async () => {
    vi.useFakeTimers();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    let started = 0;
    const stop = every(100, () => {
      started++;
      throw Object.assign(new Error('boom'), { code: 'EBOOM' });
    });
    await vi.advanceTimersByTimeAsync(200);
    stop();
    expect(started).toBe(3);
    expect(log).toHaveBeenCalledWith('[sipha] background round failed:', 'EBOOM');
  });
});
