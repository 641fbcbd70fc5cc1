import { describe, expect, it } from 'vitest';
import { downsample, Ring } from './ring';

describe('Ring', () => {
  it('keeps the newest samples, oldest first, and gives null back for no measurement', () => {
    const r = new Ring(3);
    r.push(1, 10);
    r.push(2, null);
    r.push(3, 30);
    r.push(4, 40);
    expect(r.length).toBe(3);
    expect(r.points()).toEqual([
      [2, null],
      [3, 30],
      [4, 40],
    ]);
    expect(r.points(3)).toEqual([
      [3, 30],
      [4, 40],
    ]);
  });

  it('downsamples by keeping the largest value of each bucket so spikes stay visible', () => {
    const pts: [number, number | null][] = Array.from({ length: 10 }, (_, i) => [i, i === 4 ? 999 : 1]);
    const d = downsample(pts, 5);
    expect(d).toHaveLength(5);
    expect(Math.max(...d.map((p) => p[1] ?? 0))).toBe(999);
    expect(
      downsample(
        [
          [0, null],
          [1, null],
        ],
        1,
      ),
    ).toEqual([[1, null]]);
  });
});
