import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuild } from './build.ts';
import { inNs } from './netns.ts';
import { freePort, tcpPortFree } from './ports.ts';
import { procState, spawnDetached, waitUntil } from './process.ts';
import { type LabState, writeState } from './state.ts';

const run = promisify(execFile);

/**
 * NEXT_DIST_DIR is passed through when the caller sets it (next.config.ts honours it), so a
 * second console in one checkout can use its own build folder; by default `.next` is used,
 * because Next adds any other folder to tsconfig.json's include list.
 */
export function consoleEnv(state: LabState): NodeJS.ProcessEnv {
  return { ...process.env, SIPHA_CONFIG: state.configPath, NEXT_TELEMETRY_DISABLED: '1' };
}

/**
 * The console in its own process group (next forks workers), so `down` can kill the whole
 * group: `next start` on a production build, made first when the sources changed (no compile
 * pause on first visits, and never the development overlay with its SQL text), or `next dev`
 * with `dev`. Ready when /api/health answers 200; until that route exists, any HTTP answer will do.
 */
export async function launchConsole(
  state: LabState,
  repoRoot: string,
  opts: { dev?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  if (!opts.dev) await ensureBuild(repoRoot, opts.log ?? (() => undefined));
  // With --netns the console has a namespace (and so port 3000) of its own.
  const host = state.net?.members.console?.ns ? state.net.members.console.ip : '127.0.0.1';
  const port = state.net || (await tcpPortFree(3000)) ? 3000 : await freePort();
  const log = join(state.dir, 'console.log');
  const nextArgs = ['next', opts.dev ? 'dev' : 'start', '-p', String(port), '-H', host];
  const { cmd, args } = inNs(state.net, 'console', 'npx', nextArgs);
  const pid = spawnDetached(cmd, args, log, consoleEnv(state), repoRoot);
  const url = `http://${host}:${port}`;
  state.console = { url, pid };
  state.procs = { ...state.procs, console: { cmd, args, log } };
  writeState(state);
  const healthRoute = existsSync(join(repoRoot, 'app/api/health'));
  await waitUntil(
    `console ${url}`,
    async () => {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(60_000) });
      return healthRoute ? res.status === 200 : res.status > 0;
    },
    180_000,
    () => procState(pid) !== 'down',
  ).catch((e: Error) => {
    // Most often another `next` on the same build folder; next's own words say so.
    throw new Error(`${e.message}\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
  });
}

/** The admin login, created by the console's own script (via npm: it sets the node options). */
export async function createAdmin(
  state: LabState,
  repoRoot: string,
): Promise<{ user: string; password: string } | null> {
  if (!existsSync(join(repoRoot, 'scripts/admin.ts'))) return null;
  const args = ['run', '--silent', 'admin', '--', 'create', '--user', 'admin', '--reset', '--json'];
  const { stdout } = await run('npm', args, { cwd: repoRoot, env: consoleEnv(state) });
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('{'));
  if (!line) throw new Error(`scripts/admin.ts printed no JSON: ${stdout}`);
  return JSON.parse(line) as { user: string; password: string };
}
