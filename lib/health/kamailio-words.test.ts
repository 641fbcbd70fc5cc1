import { describe, expect, it } from 'vitest';
import { duration, kamailioWords } from './kamailio-words';

describe('kamailioWords', () => {
  it('says uptime, memory and transactions in plain words', () => {
    const lines = kamailioWords({
      version: 'kamailio 5.6.3 (x86_64/linux) ',
      uptimeSeconds: 3 * 3600 + 12 * 60,
      shm: { totalBytes: 64 * 1048576, usedBytes: 8 * 1048576, freeBytes: 56 * 1048576, usedPct: 12.5 },
      tm: {
        current: 2,
        waiting: 1,
        total: 100,
        totalLocal: 0,
        repliesReceived: 0,
        repliesGenerated: 0,
        repliesSent: 0,
        replied2xx: 90,
        replied3xx: 0,
        replied4xx: 8,
        replied5xx: 2,
        replied6xx: 0,
      },
      errors: [],
    });
    expect(lines).toEqual([
      'Running kamailio 5.6.3',
      'Up for 3 h 12 min',
      'Shared memory 13 % used (8.0 MB of 64.0 MB)',
      '2 transactions in progress, 1 waiting to be freed',
      '100 transactions since start; 90 answered 2xx, 10 answered with an error',
    ]);
    expect(duration(90061)).toBe('1 d 1 h');
  });
});
