// Pure analysis for the sip_failover benchmark: from sipp's per-call start times (successful
// REGISTERs) and its per-second counts of created calls, when REGISTERs at p1 were whole again.

export interface SippTiming {
  done: { startMs: number; rttMs: number }[];
  periods: { endMs: number; created: number }[];
}

/** REGISTERs sipp created in [from, to), spreading each period's count evenly over it. */
export function createdBetween(t: SippTiming, from: number, to: number): number {
  let n = 0;
  for (let i = 1; i < t.periods.length; i++) {
    const a = t.periods[i - 1]!.endMs;
    const b = t.periods[i]!.endMs;
    if (b <= a) continue;
    const overlap = Math.max(0, Math.min(b, to) - Math.max(a, from));
    n += (t.periods[i]!.created * overlap) / (b - a);
  }
  return n;
}

export function okBetween(t: SippTiming, from: number, to: number): number {
  return t.done.filter((d) => d.startMs >= from && d.startMs < to).length;
}

/**
 * Milliseconds from the fault to the start of the first whole wall-clock second in which at
 * least 99 % of the REGISTERs sent were answered 200; `capMs` when no second in the run was.
 */
export function recoveryMs(t: SippTiming, faultAt: number, capMs: number): number {
  for (let s = Math.ceil(faultAt / 1000) * 1000; s + 1000 <= faultAt + capMs; s += 1000) {
    const sent = createdBetween(t, s, s + 1000);
    if (sent >= 1 && okBetween(t, s, s + 1000) >= 0.99 * sent) return s - faultAt;
  }
  return capMs;
}

/** REGISTERs sent in the window after the fault that got no 200. */
export function failedAfter(t: SippTiming, faultAt: number, windowMs: number): number {
  const sent = createdBetween(t, faultAt, faultAt + windowMs);
  return Math.max(0, Math.round(sent - okBetween(t, faultAt, faultAt + windowMs)));
}
