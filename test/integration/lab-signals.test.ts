import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { down, readState } from '../../lab/index.ts';
import { REPO_ROOT } from '../../lab/up.ts';

// Issue 17: closing the terminal (SIGHUP, after which every write to it fails) or a SIGTERM
// stops the lab like Ctrl-C does: no mariadbd or kamailio is left behind.

const alive = (pid: number) => existsSync(`/proc/${pid}`);

async function labThenSignal(sig: 'SIGHUP' | 'SIGTERM', closeOutput: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'lsig-'));
  const cli = spawn('node', ['scripts/lab.mjs', 'up', '--no-console', '--nodes', '2', '--dir', dir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      cli.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('✓ lab up')) resolve();
      });
      cli.on('exit', (code) => reject(new Error(`lab exited early (${code}):\n${out}`)));
    });
    const s = readState(dir);
    const pids = [...s.nodes, ...s.sip].map((p) => p.pid);
    expect(pids.length).toBe(4);
    expect(pids.every(alive)).toBe(true);
    // A closed terminal: nobody reads the output any more, so the next write fails.
    if (closeOutput) {
      cli.stdout.destroy();
      cli.stderr.destroy();
    }
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill(sig);
    await exited;
    const deadline = Date.now() + 15_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(pids.filter(alive)).toEqual([]);
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the lab CLI stops what it started on every way out', () => {
  it('SIGHUP from a closed terminal', () => labThenSignal('SIGHUP', true), 180_000);
  it('SIGTERM', () => labThenSignal('SIGTERM', false), 180_000);
});
