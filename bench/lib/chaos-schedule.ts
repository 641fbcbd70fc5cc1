// The chaos harness's seeded schedule: each block of rounds is a shuffled list of every fault,
// so a short run still sees a mix and two runs with one seed see the same faults.

export const FAULTS = [
  'sigkill',
  'sigstop',
  'partition-console-d1',
  'partition-d1-d2',
  'partition-d1-all',
  'starve',
  'heavy-writes',
  'stall-console',
] as const;

export type Fault = (typeof FAULTS)[number];

export interface Round {
  n: number;
  fault: Fault;
  /** How long the fault lasts (SIGSTOP 0.3–5 s; the others a few seconds). */
  ms: number;
}

/** mulberry32: small, fast and good enough for a schedule. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** True when a failover in a round of this fault is right: the writer was gone for its peers. */
export function failoverAllowed(f: Fault): boolean {
  return f === 'sigkill' || f === 'sigstop' || f === 'partition-d1-all';
}

/** `only`: every round has that fault (to reproduce one), with the same seeded durations. */
export function schedule(rounds: number, seed: number, only?: Fault): Round[] {
  const rnd = prng(seed);
  const out: Round[] = [];
  while (out.length < rounds) {
    const block = only ? [only] : [...FAULTS];
    for (let i = block.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [block[i], block[j]] = [block[j]!, block[i]!];
    }
    for (const fault of block) {
      if (out.length >= rounds) break;
      const ms =
        fault === 'sigstop'
          ? Math.round(300 + rnd() * 4700)
          : fault === 'sigkill'
            ? 0
            : Math.round(2500 + rnd() * 1500);
      out.push({ n: out.length + 1, fault, ms });
    }
  }
  return out;
}
