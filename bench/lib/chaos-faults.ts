// The chaos harness's faults, all real: signals to the node's process, nftables partitions in
// the lab's namespaces, busy processes, heavy writes on the node, a frozen console event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { adminQuery, heal, partition, signal, start } from '../../lab/index.ts';
import type { Fault } from './chaos-schedule.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Freezes this thread (the console's event loop) for `ms`, as a large CSV parse would. */
export function freeze(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

/** `n` processes that spin forever: a starved machine. */
export function busy(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

/** Big INSERTs (20,000 rows of 500 bytes each) on `node` for `ms`, one after the other. */
export async function heavyWrites(dir: string, node: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (let i = 0; i < 50 && Date.now() < end; i++)
    await adminQuery(
      dir,
      node,
      "INSERT INTO kamailio.chaos_heavy (pad) SELECT REPEAT('x', 500) FROM kamailio.seq_1_to_20000",
    );
}

/**
 * Runs one fault against `active` (its peer is `peer`) and calls `injected` the moment it
 * starts to take effect (so a detection time is never flattered by the fault's own setup). Returns once the fault is over on its own terms (a killed node stays down).
 */
export async function inject(
  dir: string,
  f: { fault: Fault; ms: number },
  active: string,
  peer: string,
  injected: () => void,
): Promise<void> {
  switch (f.fault) {
    case 'sigkill':
      injected(); // from the signal on (signal() returns once /proc shows the new state)
      await signal(dir, active, 'kill');
      await sleep(3000);
      return;
    case 'sigstop':
      injected();
      await signal(dir, active, 'stop');
      await sleep(f.ms);
      await signal(dir, active, 'cont');
      return;
    case 'partition-console-d1':
    case 'partition-d1-d2':
    case 'partition-d1-all': {
      const other =
        f.fault === 'partition-console-d1' ? 'console' : f.fault === 'partition-d1-d2' ? peer : 'all';
      injected(); // the first rule (in the node's own namespace) cuts it at once
      partition(dir, active, other);
      await sleep(f.ms);
      heal(dir);
      return;
    }
    case 'starve': {
      const hogs = busy(6);
      injected();
      try {
        await sleep(f.ms);
      } finally {
        for (const h of hogs) h.kill('SIGKILL');
      }
      return;
    }
    case 'heavy-writes':
      injected();
      await heavyWrites(dir, active, f.ms);
      return;
    case 'stall-console':
      injected();
      freeze(f.ms);
      return;
  }
}

/** Whatever a fault may have left behind: partitions, a stopped or killed node. */
export async function repair(dir: string, names: string[], state: (n: string) => string): Promise<void> {
  heal(dir);
  for (const n of names) {
    if (state(n) === 'stopped') await signal(dir, n, 'cont');
    if (state(n) === 'down') await start(dir, n);
  }
}
