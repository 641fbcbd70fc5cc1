// The lab's side of the console's Galera node control (sipha.config.json `galera.control`):
//   tsx lab/galera-ctl.ts DIR NAME state|recover|mark-safe|bootstrap|start
// On a real host these would be `cat grastate.dat`, `galera_recovery`, `sed`, `galera_new_cluster`
// and `systemctl start mariadb`, possibly behind ssh; here they act on the lab's own nodes.
// (`config` and `progress` are plain programs: see lab/config.ts.)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitMariadb } from './mariadb.ts';
import { procState, spawnDetached, waitUntil } from './process.ts';
import { readState, writeState } from './state.ts';

export const CTL_ACTIONS = ['state', 'recover', 'mark-safe', 'bootstrap', 'start'] as const;
export type CtlAction = (typeof CTL_ACTIONS)[number];

/** `cmd args`: the node's recorded command line (`ip netns exec NS mariadbd …` with --netns). */
function recover(cmd: string, args: string[], out: string): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, [...args, '--wsrep-recover', `--log-error=${out}`], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', fail);
    child.on('exit', () => {
      clearTimeout(timer);
      ok(existsSync(out) ? readFileSync(out, 'utf8') : '');
    });
  });
}

/** mkdir is atomic: a lock directory serialises read-modify-write of state.json. */
async function withStateLock(dir: string, fn: () => void): Promise<void> {
  const lock = join(dir, 'state.lock');
  for (let i = 0; i < 200; i++) {
    try {
      mkdirSync(lock);
      try {
        fn();
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`state.json in ${dir} stayed locked (remove ${lock} if no lab command runs)`);
}

export async function galeraCtl(dir: string, name: string, action: CtlAction): Promise<string> {
  const state = readState(resolve(dir));
  const node = state.nodes.find((n) => n.name === name);
  const proc = state.procs?.[name];
  if (!node || !proc || !state.galera) throw new Error(`no Galera node named ${name} in ${dir}`);
  const grastate = join(node.datadir, 'grastate.dat');
  const running = procState(node.pid) !== 'down';
  switch (action) {
    case 'state':
      return existsSync(grastate) ? readFileSync(grastate, 'utf8') : '';
    case 'recover': {
      if (running) throw new Error(`${name} is running; --wsrep-recover needs it stopped`);
      const text = await recover(proc.cmd, proc.args, join(state.dir, name, 'wsrep-recover.log'));
      return text
        .split('\n')
        .filter((l) => /WSREP: Recovered position/.test(l))
        .join('\n');
    }
    case 'mark-safe': {
      const text = readFileSync(grastate, 'utf8');
      writeFileSync(grastate, text.replace(/^safe_to_bootstrap:\s*0/m, 'safe_to_bootstrap: 1'));
      return readFileSync(grastate, 'utf8');
    }
    case 'bootstrap':
    case 'start': {
      // A node told to SHUTDOWN closes its port at once but takes seconds to leave the cluster
      // and exit: wait for that, as a service manager does, before refusing a second instance.
      if (running)
        await waitUntil(
          `${name} (pid ${node.pid}) to exit`,
          async () => procState(node.pid) === 'down',
          60_000,
        ).catch(() => {
          throw new Error(`${name} is already running (pid ${node.pid})`);
        });
      const args = action === 'bootstrap' ? [...proc.args, '--wsrep-new-cluster'] : proc.args;
      node.pid = spawnDetached(proc.cmd, args, proc.log);
      // The console starts several nodes at once, each through its own galera-ctl process.
      await withStateLock(state.dir, () => {
        const fresh = readState(state.dir);
        fresh.nodes.find((n) => n.name === name)!.pid = node.pid;
        writeState(fresh);
      });
      // Back once mariadbd answers; SST/IST may still run: the console follows wsrep state.
      await waitMariadb(node.socket, node.pid, 300_000).catch((e: Error) => {
        // The server's own reason (port taken, SST refused…) is in its error log.
        const err = join(state.dir, name, 'mysqld.err');
        const why = existsSync(err)
          ? readFileSync(err, 'utf8')
              .split('\n')
              .filter((l) => /\[ERROR\]/.test(l))
              .slice(-3)
          : [];
        throw new Error([e.message, ...why].join(' | '));
      });
      return `${name} started (pid ${node.pid})`;
    }
  }
}

if (process.argv[1] && /galera-ctl\.ts$/.test(process.argv[1])) {
  const [dir, name, action] = process.argv.slice(2);
  if (!dir || !name || !CTL_ACTIONS.includes(action as CtlAction)) {
    console.error(`usage: galera-ctl.ts DIR NAME ${CTL_ACTIONS.join('|')}`);
    process.exit(2);
  }
  galeraCtl(dir, name, action as CtlAction).then(
    (out) => {
      process.stdout.write(out.endsWith('\n') || out === '' ? out : `${out}\n`);
      process.exit(0);
    },
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
