import { num, parseArgs } from './args.ts';
import { down, load, signal, start, status, up } from './index.ts';
import { setup } from './setup.ts';
import { REPO_ROOT } from './up.ts';

const log = (l: string) => console.log(l);

let stopping: Promise<void> | null = null;

/**
 * Lab processes run in their own process groups, so Ctrl-C reaches only this CLI; it then
 * stops everything the lab started. Installed before `up` so an interrupted start is cleaned
 * too (down twice: `up` may have spawned one more process while the first pass ran).
 */
function stopOnSignal(dir: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      if (stopping) return;
      log('\n… stopping the lab');
      stopping = down(dir)
        .then(() => down(dir))
        .then(() => log('✓ stopped'));
      stopping.then(resolve);
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
  });
}

const lastSeen = new Map<string, string>();

async function reportChanges(dir: string): Promise<void> {
  if (stopping) return;
  const s = await status(dir);
  for (const p of [...s.nodes, ...s.sip]) {
    const before = lastSeen.get(p.name);
    if (before && before !== p.state) log(`! ${p.name} is ${p.state} (pid ${p.pid})`);
    lastSeen.set(p.name, p.state);
  }
}

const USAGE = `npm run lab -- [VERB] [options]   (every verb takes --dir DIR, default .lab/)
  (no verb)                 set up what is missing, start the lab and the console; Ctrl-C stops all
  up [--nodes N] [--fresh] [--no-console] [--detach]
  up --clusters K [--nodes N]  K clusters of N nodes (default 2) behind a first stage f1
  load --site f1 ...        REGISTER load through the first stage
  status [--json]
  kill|stop|cont|start NAME SIGKILL, SIGSTOP, SIGCONT or start again d1.. / p1..
  load [--site p1] [--rate 280] [--users 100] [--duration 60] [--transport udp|tcp]
  down                      stop everything this lab started`;

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    log(USAGE);
    return 0;
  }
  const a = parseArgs(process.argv.slice(2), REPO_ROOT);
  const f = a.flags;
  switch (a.verb) {
    case 'setup':
    case 'up': {
      if (a.verb === 'setup' && !setup(REPO_ROOT, log)) return 1;
      const t0 = performance.now();
      const detach = f.detach === true;
      const stopped = stopOnSignal(a.dir);
      let state: Awaited<ReturnType<typeof up>> | null;
      try {
        const starting = up({
          dir: a.dir,
          nodes: num(f, 'nodes', 2),
          clusters: f.clusters === undefined ? undefined : num(f, 'clusters', 2),
          fresh: f.fresh === true,
          console: f['no-console'] !== true,
          detach,
          log,
        });
        state = await Promise.race([starting, stopped.then(() => null)]);
      } catch (e) {
        if (!stopping) throw e;
        state = null; // interrupted: the failure is the interruption itself
      }
      if (!state) {
        await stopping;
        return 130;
      }
      log(`✓ lab up in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${state.dir}`);
      if (state.console) log(`  console: ${state.console.url}`);
      log(`  config: ${state.configPath}`);
      if (detach) return 0;
      log('  Ctrl-C stops everything.');
      // Children are detached and unref'd: this timer keeps the CLI in the foreground, and
      // says when a process of the lab changes state (killed, stopped) while we wait.
      const watch = setInterval(() => void reportChanges(a.dir), 1000);
      await stopped;
      clearInterval(watch);
      return 0;
    }
    case 'down':
      await down(a.dir);
      log(`✓ lab in ${a.dir} stopped`);
      return 0;
    case 'status': {
      const s = await status(a.dir);
      if (f.json) console.log(JSON.stringify(s));
      else {
        for (const n of s.nodes) log(`${n.name}  ${n.state.padEnd(8)} ${n.host}:${n.port}  pid ${n.pid}`);
        for (const p of s.sip)
          log(
            `${p.name}  ${p.state.padEnd(8)} sip ${p.host}:${p.udp} (udp+tcp)  rpc ${p.rpc}  node ${p.node}  pid ${p.pid}`,
          );
        for (const c of s.clusters ?? [])
          log(`${c.name}  nodes ${c.nodes.join(',')}  sip ${c.sip.join(',')}`);
        const fs = s.firstStage;
        if (fs)
          log(
            `${fs.name}  ${fs.state.padEnd(8)} sip ${fs.host}:${fs.udp} (first stage)  rpc ${fs.rpc}  pid ${fs.pid}`,
          );
        log(s.console ? `console  ${s.console.url}  pid ${s.console.pid}` : 'console  none');
      }
      return 0;
    }
    case 'kill':
    case 'stop':
    case 'cont':
      await signal(a.dir, a.name!, a.verb);
      log(`✓ ${a.verb} ${a.name}`);
      return 0;
    case 'start': {
      const t0 = performance.now();
      await start(a.dir, a.name!);
      log(`✓ ${a.name} started (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      return 0;
    }
    case 'load': {
      const transport = f.transport === 'tcp' ? 'tcp' : 'udp';
      const site = typeof f.site === 'string' ? f.site : 'p1';
      const r = await load(a.dir, {
        site,
        rate: num(f, 'rate', 280),
        users: num(f, 'users', 100),
        duration: num(f, 'duration', 60),
        transport,
      });
      log(`sent ${r.sent}  ok ${r.ok}  failed ${r.failed}`);
      log(`response time ms: p50 ${r.p50}  p95 ${r.p95}  p99 ${r.p99}`);
      return r.failed > 0 || r.ok === 0 ? 1 : 0;
    }
    default:
      return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`✗ ${e.message}`);
    process.exit(1);
  },
);
