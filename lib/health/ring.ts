// A fixed-size ring of timestamped samples: the console's own memory of the last hour, so the
// charts need no cron job and no table. Pure (no I/O) so it is unit-tested directly.

export class Ring {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** null (no measurement) is stored as NaN and given back as null. */
  push(at: number, value: number | null): void {
    this.times[this.next] = at;
    this.values[this.next] = value ?? Number.NaN;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Samples at or after `since`, oldest first. */
  points(since = 0): [number, number | null][] {
    const out: [number, number | null][] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const j = (start + i) % this.capacity;
      const t = this.times[j]!;
      if (t < since) continue;
      const v = this.values[j]!;
      out.push([t, Number.isNaN(v) ? null : v]);
    }
    return out;
  }
}

/**
 * Thins a series to at most `max` points by keeping the largest value of each bucket: a lag
 * spike must stay visible on a 300-pixel chart of an hour.
 */
export function downsample(points: [number, number | null][], max: number): [number, number | null][] {
  if (points.length <= max) return points;
  const per = Math.ceil(points.length / max);
  const out: [number, number | null][] = [];
  for (let i = 0; i < points.length; i += per) {
    const bucket = points.slice(i, i + per);
    const vals = bucket.map((p) => p[1]).filter((v): v is number => v !== null);
    out.push([bucket[bucket.length - 1]![0], vals.length ? Math.max(...vals) : null]);
  }
  return out;
}
