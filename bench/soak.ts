// npm run bench -- soak [--minutes M]
// The held-out check: minutes of a starved machine (busy processes on every core,
// three times over, as the chaos harness starves it) and heavy writes on d1, while 4 console
// writers (20 writes/s each) and REGISTERs at p1 run. Nothing fails, so nothing may fail over:
// `failovers` must stay 0. Also reported: writes that failed, nodes the detector held down,
// and two-writer windows the SIP servers opened (db_cluster leaving a slow d1; the console
// flags them, see lib/health/sip-db.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adminQuery, down, load, up } from '../lab/index.ts';
import { getConfig } from '../lib/config/load.ts';
import { closeConnectionList, getConnectionList } from '../lib/db/index.ts';
import { SipDbSync } from '../lib/health/sip-db.ts';
import { busy, heavyWrites } from './lib/chaos-faults.ts';
import { startWriters } from './lib/chaos-load.ts';
import { prepare } from './lib/chaos-run.ts';
import { type Row, report } from './lib/report.ts';

export const usage = '[--minutes M]';
export const description = 'no failover while the machine is starved and d1 loaded for minutes';

function count(metric: string, unit: string, sipha: number | null, target: string): Row {
  return {
    case: 'soak',
    metric,
    unit,
    sipha,
    baseline: null,
    baseline_name: null,
    runs: 1,
    min: null,
    max: null,
    target,
  };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { minutes: { type: 'string', default: '3' } } });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 120)
    throw new Error('--minutes must be a number of minutes above 0 and at most 120');
  const ms = Math.round(minutes * 60_000);
  const dir = mkdtempSync(join(os.tmpdir(), 'soak-'));
  const hogs: ReturnType<typeof busy> = [];
  const stopHogs = () => {
    for (const h of hogs.splice(0)) h.kill('SIGKILL');
  };
  const interrupted = () => {
    stopHogs();
    void down(dir).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let sync: SipDbSync | undefined;
  try {
    const state = await up({ dir, nodes: 2, sip: true, console: false });
    await prepare(dir, state);
    // This process is the console: its connection list and its sync of the SIP servers' lists.
    process.env.SIPHA_CONFIG = state.configPath;
    const list = await getConnectionList();
    sync = new SipDbSync(list, getConfig()).start();
    const s = sync;
    let failovers = 0;
    let markedDown = 0;
    let windows = 0;
    const fenced = new Set<string>();
    const held = new Set<string>();
    const using = new Map<string, string | null>();
    const watch = setInterval(() => {
      for (const n of list.nodes) {
        const name = n.handle.name;
        if (list.isFenced(name) && !fenced.has(name)) {
          fenced.add(name);
          failovers++;
          console.log(`  ${name} fenced: ${list.fence.nodes.get(name)?.reason ?? ''}`);
        }
        if (n.reachable === false && !held.has(name)) {
          held.add(name);
          markedDown++;
          console.log(`  ${name} held down: ${n.evidence ?? n.lastError ?? ''}`);
        }
        if (n.reachable === true) held.delete(name);
      }
      for (const d of s.snapshot()) {
        if (d.twoWriters && using.get(d.server) !== d.using) {
          windows++;
          console.log(`  ${d.server} writes to ${d.using} while ${d.twoWriters} is up: two-writer window`);
        }
        using.set(d.server, d.twoWriters ? d.using : null);
      }
    }, 50);
    const writers = startWriters(list, 'soak');
    const registers = load(dir, { site: 'p1', rate: 50, users: 100, duration: Math.ceil(ms / 1000) });
    hogs.push(...busy(3 * os.cpus().length));
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await heavyWrites(dir, 'd1', Math.min(10_000, end - Date.now()));
      await adminQuery(dir, 'd1', 'TRUNCATE TABLE kamailio.chaos_heavy');
    }
    stopHogs();
    await writers.stop();
    const sip = await registers.catch(() => null);
    clearInterval(watch);
    const rows: Row[] = [
      count('minutes', 'min', minutes, 'report'),
      count('failovers', 'count', failovers, '= 0'),
      count('writes_failed', 'count', writers.failed, 'report'),
      count('writes_acked', 'count', writers.acks.length, 'report'),
      count('nodes_held_down', 'count', markedDown, 'report'),
      count('two_writer_windows', 'count', windows, 'report (flagged by the console)'),
      count('registers_failed', 'count', sip?.failed ?? null, 'report'),
    ];
    report('soak', rows);
  } finally {
    stopHogs();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    sync?.stop();
    await closeConnectionList().catch(() => undefined);
    await down(dir).catch((e) => console.log(`! lab down failed: ${(e as Error).message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}
