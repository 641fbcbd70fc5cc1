import { describe, expect, it } from 'vitest';
import { type Candidate, chooseWriter } from './choose';

const c = (name: string, writableSince: number | null): Candidate => ({
  name,
  writable: writableSince !== null,
  writableSince,
});
const auto = { failback: 'auto' as const, failbackAfterMs: 3000 };
const manual = { failback: 'manual' as const, failbackAfterMs: 3000 };

describe('Galera writer choice', () => {
  it('starts on the first writable node of the list', () => {
    expect(chooseWriter([c('d1', 0), c('d2', 0)], undefined, auto, 10)).toBe('d1');
    expect(chooseWriter([c('d1', null), c('d2', 0)], undefined, auto, 10)).toBe('d2');
    expect(chooseWriter([c('d1', null), c('d2', null)], 'd1', auto, 10)).toBeUndefined();
  });
  it('moves on when the writer stops being writable', () => {
    expect(chooseWriter([c('d1', null), c('d2', 0), c('d3', 0)], 'd1', auto, 10)).toBe('d2');
  });
  it('fails back automatically only after the higher node stayed writable long enough', () => {
    const nodes = [c('d1', 10_000), c('d2', 0)];
    expect(chooseWriter(nodes, 'd2', auto, 12_999)).toBe('d2');
    expect(chooseWriter(nodes, 'd2', auto, 13_000)).toBe('d1');
  });
  it('never fails back by itself under the manual policy', () => {
    expect(chooseWriter([c('d1', 0), c('d2', 0)], 'd2', manual, 1e9)).toBe('d2');
    expect(chooseWriter([c('d1', 0), c('d2', null)], 'd2', manual, 1e9)).toBe('d1');
  });
  it('falls back to a donor in the primary component only when no node is Synced', () => {
    const donor = { name: 'd1', writable: false, writableSince: null, donor: true };
    expect(chooseWriter([donor, c('d2', null)], undefined, auto, 10)).toBe('d1');
    expect(chooseWriter([donor, c('d2', 0)], 'd1', auto, 10)).toBe('d2');
  });
  it('keeps a writer lower in the list over a lower one that became writable', () => {
    expect(chooseWriter([c('d1', null), c('d2', 0), c('d3', 0)], 'd2', auto, 1e9)).toBe('d2');
  });
  it('writes to a plain server only before any node was seen in a Galera cluster', () => {
    const plain = { name: 'd1', writable: false, writableSince: null, standalone: true };
    const down = { name: 'd2', writable: false, writableSince: null };
    expect(chooseWriter([plain, down], undefined, auto, 10)).toBe('d1');
    // Once a node reported a Galera state, a server with wsrep off never takes writes.
    expect(chooseWriter([plain, { ...down, wsrep: true }], 'd1', auto, 10)).toBeUndefined();
    expect(chooseWriter([{ ...plain, wsrep: true }, down], 'd1', auto, 10)).toBeUndefined();
    expect(chooseWriter([plain, c('d2', 0)], 'd1', auto, 10)).toBe('d2');
  });
});
