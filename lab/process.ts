import { spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';

export type ProcState = 'running' | 'stopped' | 'down';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every lab process gets its own process group (detached) with output in a log file, so that
 * Ctrl-C on the CLI reaches only the CLI (which then stops the lab in order), `--detach` can
 * simply leave the processes running, and `down` can kill a whole group (next dev's children).
 */
export function spawnDetached(
  cmd: string,
  args: string[],
  log: string,
  env?: NodeJS.ProcessEnv,
  cwd?: string,
) {
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env: env ?? process.env, cwd });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  return child.pid;
}

/** /proc/PID/stat state letter: T (or t) is SIGSTOPped, Z is a zombie, i.e. gone. */
export function procState(pid: number): ProcState {
  if (!pid) return 'down';
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const letter = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (letter === 'Z' || letter === 'X') return 'down';
    return letter === 'T' || letter === 't' ? 'stopped' : 'running';
  } catch {
    return 'down';
  }
}

/**
 * Processes whose command line names a path inside `dir` (a lab's folder), this one excepted:
 * what a lab started and its state no longer knows about (a node restarted by a console
 * command, a helper left behind). `lab down` stops them last, so nothing outlives the lab.
 */
export function strays(dir: string): number[] {
  const marker = `${dir.replace(/\/+$/, '')}/`;
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid || pid === process.ppid) continue;
    if (cmdline(pid).includes(marker) && procState(pid) !== 'down') out.push(pid);
  }
  return out;
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Guards against pid reuse: only signal a pid whose command line still mentions our marker. */
export function ours(pid: number, marker: string): boolean {
  return pid > 0 && procState(pid) !== 'down' && cmdline(pid).includes(marker);
}

export function sendSignal(pid: number, sig: NodeJS.Signals, group = false): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** SIGCONT first (a stopped process cannot act on SIGTERM), SIGTERM, then SIGKILL. */
export async function terminate(pid: number, group: boolean, graceMs = 5000): Promise<void> {
  sendSignal(pid, 'SIGCONT', group);
  sendSignal(pid, 'SIGTERM', group);
  const until = Date.now() + graceMs;
  while (Date.now() < until && procState(pid) !== 'down') await sleep(100);
  sendSignal(pid, 'SIGKILL', group);
  while (procState(pid) !== 'down') await sleep(50);
}

/** Polls `check` until it returns true; throws with `what` and the last error on timeout. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  alive?: () => boolean,
) {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (alive && !alive()) throw new Error(`${what}: process exited`);
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
