import 'server-only';
import { execFile } from 'node:child_process';
import { getConfig } from '@/lib/config/load';
import type { GaleraControl } from '@/lib/config/schema';
import { AppError } from '@/lib/errors';
import type { JobLog } from './job';

// Commands on a node's host, as configured (`galera.control`): argv arrays run without a
// shell, shown in the job log before they run. Their output is read for evidence and never
// shown whole (it may name paths and hosts the viewer need not see).

export type ControlAction = keyof GaleraControl;

/** For commands run to read evidence (a preflight, a progress poll), not as an operation's step. */
export const unlogged: JobLog = () => undefined;

export function controlFor(node: string): GaleraControl {
  const c = getConfig().galera?.control[node];
  if (!c)
    throw new AppError(
      'conflict:state',
      `No commands are configured to control ${node} (galera.control.${node} in the configuration).`,
    );
  return c;
}

export function runControl(
  node: string,
  action: ControlAction,
  log: JobLog,
  timeoutMs = 300_000,
  /** False for a poll whose failures are expected (a status file not written yet). */
  logFailure = true,
): Promise<string> {
  const argv = controlFor(node)[action];
  if (!argv)
    throw new AppError(
      'conflict:state',
      `No ${action} command is configured for ${node} (galera.control.${node}.${action} in the configuration).`,
    );
  log('command', `${node}: ${argv.join(' ')}`);
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const first = `${stderr}`.trim().split('\n')[0]?.slice(0, 200) ?? '';
        // The exit and the first line of its error output; never the error object (a stack).
        if (logFailure)
          console.error(
            `[sipha] galera ${action} on ${node} failed (exit ${err.code ?? err.signal ?? '?'}): ${first}`,
          );
        reject(new AppError('failed:database', `${action} on ${node} failed${first ? `: ${first}` : ''}.`));
      } else resolve(stdout);
    });
  });
}
