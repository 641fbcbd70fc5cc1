import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KAMAILIO } from './kamailio.ts';
import { MARIADBD } from './mariadb.ts';
import { destroyNet } from './netns.ts';
import { ours, strays, terminate } from './process.ts';
import { hasState, readState, writeState } from './state.ts';

/**
 * Stops every process this lab started, and only those: by pid from state.json, and only
 * when /proc/PID/cmdline still shows our command (a reused pid belongs to someone else).
 * Each process runs in its own group, so the group is killed (kamailio workers, next dev's
 * children). Copes with a partial state written by an `up` that failed midway.
 */
export async function down(dir: string): Promise<void> {
  if (!hasState(dir)) return;
  const state = readState(dir);
  const jobs: Promise<void>[] = [];
  if (state.console && ours(state.console.pid, 'next')) jobs.push(terminate(state.console.pid, true));
  // SIP servers before their databases, so they do not log a storm of connection errors.
  for (const s of state.sip)
    if (ours(s.pid, KAMAILIO) && ours(s.pid, join(state.dir, s.name))) jobs.push(terminate(s.pid, true));
  if (state.edge && ours(state.edge.pid, KAMAILIO) && ours(state.edge.pid, join(state.dir, 'edge')))
    jobs.push(terminate(state.edge.pid, true));
  if (state.dns && ours(state.dns.pid, 'named') && ours(state.dns.pid, state.dns.dir))
    jobs.push(terminate(state.dns.pid, true));
  const garb = state.galera?.arbitrator;
  if (garb && ours(garb.pid, 'garbd')) jobs.push(terminate(garb.pid, true));
  const f = state.firstStage;
  if (f && ours(f.pid, KAMAILIO) && ours(f.pid, join(state.dir, f.name))) jobs.push(terminate(f.pid, true));
  await Promise.all(jobs);
  await Promise.all(
    state.nodes
      // The node's own folder: a pair node's command line names its datadir, a Galera node's only
      // its my.cnf (matching on the datadir left every Galera node running after `down`).
      .filter((n) => ours(n.pid, MARIADBD) && ours(n.pid, `${join(state.dir, n.name)}/`))
      .map((n) => terminate(n.pid, true, 10_000)),
  );
  // Whatever else still runs from this lab's folder (its state lost track of it).
  await Promise.all(strays(state.dir).map((pid) => terminate(pid, false, 5000)));
  if (state.console) state.console = null;
  // Namespaces last: nothing of the lab runs in them any more.
  if (state.net) destroyNet(state.net);
  state.net = undefined;
  writeState(state);
}

/** Removes a previous lab's data in DIR (only the lab's own entries, never DIR itself). */
export function clean(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir)) {
    if (
      /^([dpf]\d+|dns|edge|baresip-.*)$/.test(e) ||
      /^(state\.json|sipha\.config\.json|console\.log|sipp-.*|garbd\.log)$/.test(e)
    )
      rmSync(join(dir, e), { recursive: true, force: true });
  }
}
