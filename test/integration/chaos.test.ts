import { describe, expect, it } from 'vitest';
import { runChaos } from '../../bench/lib/chaos-run.ts';

// The chaos harness (npm run bench -- chaos) in short: 3 rounds of real faults under load on a
// lab in network namespaces. Seed 26 gives a frozen console event loop, the console cut off
// from d1, and a SIGSTOP of d1 long enough for a failover and a restore.

describe('chaos, 3 rounds', () => {
  it('loses no acknowledged write, writes nothing on a fenced node, leaves no divergence, never fails over falsely', async () => {
    const lines: string[] = [];
    const rs = await runChaos({ rounds: 3, seed: 26, log: (l) => lines.push(l) });
    const why = lines.join('\n');
    expect(rs.map((r) => r.fault)).toEqual(['stall-console', 'partition-console-d1', 'sigstop']);
    for (const r of rs) {
      expect(r.acked, why).toBeGreaterThan(0);
      expect(r.lost, why).toBe(0);
      expect(r.duplicated, why).toBe(0);
      expect(r.writesOnFenced, why).toBe(0);
      expect(r.unflaggedDivergence, why).toBe(0);
      expect(r.falseFailover, why).toBe(false);
      expect(r.restore, why).not.toBe('failed');
    }
    expect(rs[1]!.failover, why).toBe(false);
    expect(rs[2]!.failover, why).toBe(true);
  }, 170_000);
});
