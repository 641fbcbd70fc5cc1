import { describe, expect, it } from 'vitest';
import { formatRanges, parseRanges } from './ranges-text';

describe('ranges as text', () => {
  it('reads and writes the planner form', () => {
    const text = '*  c1\nuser1050 c2\n\n';
    const r = parseRanges(text, ['c1', 'c2']);
    expect(r).toEqual({
      ranges: [
        { from: '', cluster: 'c1' },
        { from: 'user1050', cluster: 'c2' },
      ],
    });
    expect(formatRanges((r as { ranges: never }).ranges)).toBe('* c1\nuser1050 c2');
  });

  it('says which line is wrong', () => {
    expect(parseRanges('* c1\nUser c2', ['c1', 'c2'])).toEqual({
      error:
        'Line 2: "User" is neither a lower-case user part (at most 32 characters) nor a hash bucket (# and 1 to 4 hex digits).',
    });
    expect(parseRanges('* c1\nm c9', ['c1'])).toMatchObject({
      error: expect.stringContaining('no cluster named "c9"'),
    });
    expect(parseRanges('m c1', ['c1'])).toMatchObject({ error: expect.stringContaining('"* CLUSTER"') });
    expect(parseRanges('* c1\nm c1\nm c1', ['c1'])).toMatchObject({
      error: expect.stringContaining('twice'),
    });
    expect(parseRanges('* c1\n#8g c2', ['c1', 'c2'])).toMatchObject({
      error: expect.stringContaining('"#8g"'),
    });
    expect(parseRanges('* c1\n#80000 c2', ['c1', 'c2'])).toMatchObject({
      error: expect.stringContaining('hash bucket'),
    });
    expect(parseRanges('* c1\n#8 c2\nm c1', ['c1', 'c2'])).toEqual({
      error: 'Use either ranges of the user part or hash buckets (#…), not both.',
    });
  });

  it('reads hash buckets', () => {
    expect(parseRanges('* c1\n#8 c2\n#c0 c1', ['c1', 'c2'])).toEqual({
      ranges: [
        { from: '', cluster: 'c1' },
        { from: '#8', cluster: 'c2' },
        { from: '#c0', cluster: 'c1' },
      ],
    });
  });
});
