import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';

/**
 * The console's production build (`next start`) pointed at one lab's config. Specs that need a
 * lab of their own (a fresh one for the wizard, say) start one with this and the lab library.
 */
export async function startConsole(opts: {
  configPath: string;
  port: number;
  logFile: string;
}): Promise<ChildProcess> {
  const out = openSync(opts.logFile, 'a');
  const child = spawn('npx', ['next', 'start', '-p', String(opts.port), '-H', '127.0.0.1'], {
    env: { ...process.env, SIPHA_CONFIG: opts.configPath, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`console exited with ${child.exitCode}; see ${opts.logFile}`);
    const ok = await fetch(`http://127.0.0.1:${opts.port}/api/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  stopConsole(child);
  throw new Error(`console did not answer on port ${opts.port}; see ${opts.logFile}`);
}

export function stopConsole(child: ChildProcess): void {
  // next start forks; its process group goes as a whole.
  if (child.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
