// Lag in milliseconds from heartbeat rows (pure; the sampler feeds it).
//
// Every second the console writes, on each writable node X, the row `node = X` with
// beat_at = NOW(6) (X's clock) and a rising seq. Replication carries the row to the others. On a
// replica Y we read X's row together with Y's own NOW(6). The lag is the age of the oldest beat
// X wrote that Y has not applied yet: "Y is missing what X wrote n ms ago". If Y already has
// every beat written before the read, the lag is 0 (below the 1 s beat resolution).
//
// CLOCK ASSUMPTION: the replica's NOW(6) is compared with the source's beat_at, so the node
// clocks must agree (NTP; in the lab all nodes share one machine). A skew of s ms shows as s ms
// of extra (or missing) lag; the result is clamped at 0.

export interface Beat {
  seq: number;
  /** beat_at as epoch ms (source's clock). */
  at: number;
}

/** The last beats written on one source, learned by reading its own row after each write. */
export class BeatHistory {
  private beats: Beat[] = [];
  constructor(private readonly keep = 600) {}

  record(beat: Beat): void {
    const last = this.beats[this.beats.length - 1];
    if (last && last.seq >= beat.seq) return;
    this.beats.push(beat);
    if (this.beats.length > this.keep) this.beats.splice(0, this.beats.length - this.keep);
  }

  /** The first beat written after `seq`, if known. */
  after(seq: number): Beat | undefined {
    return this.beats.find((b) => b.seq > seq);
  }

  get newest(): Beat | undefined {
    return this.beats[this.beats.length - 1];
  }
}

export function lagMs(opts: {
  /** X's row as read on the replica Y, or undefined when Y has none yet. */
  seen: Beat | undefined;
  /** Y's NOW(6) at the read, epoch ms. */
  readerNow: number;
  history: BeatHistory;
  /** The beat interval, used only before the history knows the next beat. */
  intervalMs?: number;
}): number | null {
  const { seen, readerNow, history } = opts;
  if (!seen) return null;
  const next = history.after(seen.seq);
  if (next) return Math.max(0, Math.round(readerNow - next.at));
  // The history may not reach back far enough (console just started, or the replica is very
  // far behind): then the beat after `seen` was written about one interval after it.
  const newest = history.newest;
  if (newest && newest.seq <= seen.seq) return 0;
  return Math.max(0, Math.round(readerNow - seen.at - (opts.intervalMs ?? 1000)));
}
