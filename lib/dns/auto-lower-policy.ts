// When the console lowers a dead SIP server's SRV priority by itself, and when it raises it
// again. Anti-flapping: a server must be down `afterSec` in a row before it is lowered, up
// `holdSec` in a row before it is raised, and never changes twice within `holdSec`.

export interface AutoLowerConfig {
  afterSec: number;
  holdSec: number;
}

export interface Track {
  downSince: number | null;
  upSince: number | null;
  /** True only when the console lowered it (a manual drain is left to the operator). */
  lowered: boolean;
  lastChange: number;
}

export const newTrack = (): Track => ({
  downSince: null,
  upSince: null,
  lowered: false,
  lastChange: -Infinity,
});

/** Feeds one probe result; returns what to do now. `up` null (not probed yet) changes nothing. */
export function decide(
  t: Track,
  up: boolean | null,
  now: number,
  cfg: AutoLowerConfig,
): 'lower' | 'raise' | null {
  if (up === null) return null;
  if (up) {
    t.downSince = null;
    t.upSince ??= now;
  } else {
    t.upSince = null;
    t.downSince ??= now;
  }
  if (now - t.lastChange < cfg.holdSec * 1000) return null;
  if (!up && !t.lowered && now - t.downSince! >= cfg.afterSec * 1000) return 'lower';
  if (up && t.lowered && now - t.upSince! >= cfg.holdSec * 1000) return 'raise';
  return null;
}

/** Records that the change was made (only then, so a refused update is tried again). */
export function changed(t: Track, what: 'lower' | 'raise', now: number): void {
  t.lowered = what === 'lower';
  t.lastChange = now;
}
