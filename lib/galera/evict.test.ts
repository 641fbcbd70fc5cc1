import { describe, expect, it } from 'vitest';
import type { NodeConfig } from '@/lib/config/schema';
import { clearableEvictList, evictionOrder } from './evict';

const node = (name: string, uuid?: string) => ({ config: { name } as NodeConfig, uuid });
const names = (xs: { config: NodeConfig }[]) => xs.map((x) => x.config.name);

describe('Galera eviction order', () => {
  it('tells the next view’s representative first: the lowest member id, compared as bytes', () => {
    const d2 = node('d2', '89c0fbc5-ec7e-11f1-9916-d7ccc844b74e');
    const d3 = node('d3', '0a390674-ec7e-11f1-b6c1-cf14765195a1');
    const d4 = node('d4', 'f4390674-ec7e-11f1-b6c1-cf14765195a1');
    expect(names(evictionOrder([d2, d3, d4]))).toEqual(['d3', 'd2', 'd4']);
    expect(names(evictionOrder([d4, d2]))).toEqual(['d2', 'd4']);
  });
  it('compares ids whatever their case, and puts survivors of unknown id last', () => {
    const upper = node('d2', 'AB000000-0000-0000-0000-000000000000');
    const lower = node('d3', 'ac000000-0000-0000-0000-000000000000');
    expect(names(evictionOrder([lower, upper]))).toEqual(['d2', 'd3']);
    expect(names(evictionOrder([node('d2'), lower]))).toEqual(['d3', 'd2']);
    expect(names(evictionOrder([node('d2'), node('d3')]))).toEqual(['d2', 'd3']);
  });
});

describe('clearing an evict list again', () => {
  const ours = new Set(['88ce5f8e-ec7e-11f1-b0c2-479c4037e39d', '88ce5f8e-ec7e-11f1-b0c3-479c4037e39d']);
  it('clears a list that holds only members this console evicted', () => {
    expect(clearableEvictList('88ce5f8e-ec7e-11f1-b0c2-479c4037e39d', ours)).toBe(true);
    expect(
      clearableEvictList('88CE5F8E-ec7e-11f1-b0c2-479c4037e39d, 88ce5f8e-ec7e-11f1-b0c3-479c4037e39d', ours),
    ).toBe(true);
  });
  it('leaves an empty list, and any list with an entry someone else made (Galera clears all or nothing)', () => {
    expect(clearableEvictList('', ours)).toBe(false);
    expect(
      clearableEvictList('88ce5f8e-ec7e-11f1-b0c2-479c4037e39d,12345678-ec7e-11f1-b0c2-479c4037e39d', ours),
    ).toBe(false);
  });
});
