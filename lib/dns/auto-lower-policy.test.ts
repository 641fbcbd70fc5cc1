import { describe, expect, it } from 'vitest';
import { changed, decide, newTrack } from './auto-lower-policy';

const cfg = { afterSec: 30, holdSec: 120 };
const s = (x: number) => x * 1000;

describe('automatic priority lowering', () => {
  it('lowers only after afterSec of failed probes in a row', () => {
    const t = newTrack();
    expect(decide(t, false, s(0), cfg)).toBeNull();
    expect(decide(t, true, s(20), cfg)).toBeNull(); // one good probe resets the count
    expect(decide(t, false, s(25), cfg)).toBeNull();
    expect(decide(t, false, s(50), cfg)).toBeNull();
    expect(decide(t, false, s(55), cfg)).toBe('lower');
  });

  it('raises after holdSec of answering, and not twice within holdSec (no flapping)', () => {
    const t = newTrack();
    decide(t, false, s(0), cfg);
    expect(decide(t, false, s(30), cfg)).toBe('lower');
    changed(t, 'lower', s(30));
    expect(decide(t, true, s(31), cfg)).toBeNull();
    expect(decide(t, false, s(40), cfg)).toBeNull(); // flaps: the clock starts again
    expect(decide(t, true, s(41), cfg)).toBeNull();
    expect(decide(t, true, s(160), cfg)).toBeNull(); // up 119 s only
    expect(decide(t, true, s(161), cfg)).toBe('raise');
  });

  it('never raises a server it did not lower, and ignores unknown probes', () => {
    const t = newTrack();
    expect(decide(t, null, s(0), cfg)).toBeNull();
    expect(decide(t, true, s(500), cfg)).toBeNull();
  });
});
