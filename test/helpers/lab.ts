import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { down, type LabState, type UpOptions, up } from '../../lab/index.ts';

export interface Lab {
  state: LabState;
  dir: string;
  stop: () => Promise<void>;
}

/**
 * Starts a lab in a new temporary directory (short path: the mysqld socket path must stay
 * under ~100 characters). If up() fails midway it has already stopped what it started; the
 * directory is removed either way.
 */
export async function withLab(opts: Omit<UpOptions, 'dir'> = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-'));
  let state: LabState;
  try {
    state = await up({ ...opts, dir });
  } catch (e) {
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stop = async () => {
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  return { state, dir, stop };
}

/**
 * For a test file: `const lab = useLab({ nodes: 2 });` then `lab().state` in tests. The lab
 * is always torn down in afterAll, also when beforeAll failed.
 */
export function useLab(opts: Omit<UpOptions, 'dir'> = {}): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await withLab(opts);
  });
  afterAll(async () => {
    await lab?.stop();
  });
  return () => {
    if (!lab) throw new Error('the lab did not start (see beforeAll)');
    return lab;
  };
}
