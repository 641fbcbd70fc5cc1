import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminQuery, readState, up } from '../../lab/index.ts';
import { withLab } from '../helpers/lab.ts';

describe('lab topologies and failures', () => {
  it('three nodes form a ring: a row written on d3 reaches d1 and d2', async () => {
    const lab = await withLab({ nodes: 3, sip: false });
    try {
      const masters = await Promise.all(
        ['d1', 'd2', 'd3'].map(async (n) => (await adminQuery(lab.dir, n, 'SHOW SLAVE STATUS'))[0]),
      );
      const port = (n: string) => lab.state.nodes.find((x) => x.name === n)!.port;
      expect(masters.map((m) => m.Master_Port)).toEqual([port('d3'), port('d1'), port('d2')]);
      await adminQuery(
        lab.dir,
        'd3',
        "INSERT INTO kamailio.location (ruid, username, domain, contact) VALUES ('ring', 'carol', 'lab.sipha.test', 'sip:carol@127.0.0.1')",
      );
      for (const n of ['d1', 'd2'])
        await expect
          .poll(
            async () =>
              (await adminQuery(lab.dir, n, "SELECT id FROM kamailio.location WHERE ruid = 'ring'")).length,
            {
              timeout: 5000,
              interval: 100,
            },
          )
          .toBe(1);
      const [v] = await adminQuery(
        lab.dir,
        'd3',
        'SELECT @@auto_increment_increment AS inc, @@auto_increment_offset AS off',
      );
      expect([v.inc, v.off]).toEqual([3, 3]);
    } finally {
      await lab.stop();
    }
  });

  it('an up() that fails midway stops what it had started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    try {
      await expect(
        up({ dir, nodes: 2, sip: false, extraNodeArgs: { d2: ['--no-such-option-for-the-lab'] } }),
      ).rejects.toThrow(/mariadbd/);
      const state = readState(dir);
      expect(state.nodes.map((n) => n.name)).toEqual(['d1', 'd2']);
      for (const n of state.nodes) expect(existsSync(`/proc/${n.pid}`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
