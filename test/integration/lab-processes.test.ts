import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { down, readState, signal, start, status } from '../../lab/index.ts';
import { withLab } from '../helpers/lab.ts';

const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe('lab process control', () => {
  it('kill, stop, cont, start, and down leave nothing behind', async () => {
    const lab = await withLab({ nodes: 2 });
    try {
      const { dir } = lab;
      const byName = async (name: string) => {
        const s = await status(dir);
        return [...s.nodes, ...s.sip].find((p) => p.name === name)!;
      };
      expect((await status(dir)).nodes.map((n) => n.state)).toEqual(['running', 'running']);

      await signal(dir, 'p1', 'kill');
      expect((await byName('p1')).state).toBe('down');

      await signal(dir, 'd2', 'stop');
      expect((await byName('d2')).state).toBe('stopped');
      await signal(dir, 'd2', 'cont');
      expect((await byName('d2')).state).toBe('running');

      const oldPid = (await byName('p1')).pid;
      await start(dir, 'p1');
      const p1 = await byName('p1');
      expect(p1.state).toBe('running');
      expect(p1.pid).not.toBe(oldPid);
      expect(readState(dir).sip[0]!.pid).toBe(p1.pid);

      const pids = [...readState(dir).nodes, ...readState(dir).sip].map((p) => p.pid);
      expect(pids.every(alive)).toBe(true);
      await down(dir);
      expect(pids.filter(alive)).toEqual([]);
      const after = await status(dir);
      expect([...after.nodes, ...after.sip].map((p) => p.state).every((s) => s === 'down')).toBe(true);
    } finally {
      await lab.stop();
    }
  });
});
