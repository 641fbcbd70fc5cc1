import { num, parseArgs } from './args.ts';
import { parseSrvOption } from './dns-zone.ts';
import { call, down, heal, load, partition, signal, start, status, up } from './index.ts';
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
    // A closed terminal (SIGHUP) makes every later write to it fail with EIO: without these
    // handlers that error ends this process before `down` has stopped the nodes.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  });
}

function engineFlag(v: string | boolean | undefined): 'pair' | 'galera' {
  if (v === undefined || v === 'pair') return 'pair';
  if (v === 'galera') return 'galera';
  throw new Error('--engine must be pair or galera');
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

const POLICIES = ['co-located', 'single-writer', 'single-url'] as const;

function dbPolicy(v: string | boolean | undefined): (typeof POLICIES)[number] | undefined {
  if (v === undefined) return undefined;
  const p = POLICIES.find((x) => x === v);
  if (!p) throw new Error(`--db-policy must be one of ${POLICIES.join(', ')}`);
  return p;
}

const USAGE = `npm run lab -- [VERB] [options]   (every verb takes --dir DIR, default .lab/)
  (no verb)                 set up what is missing, start the lab and the console; Ctrl-C stops all
  up [--nodes N] [--fresh] [--no-console] [--detach] [--dev] [--netns]
     [--db-policy co-located|single-writer|single-url]
     [--srv 0:40,0:40,0:20] [--dns-ttl 5] [--no-dns] [--edge] [--no-failover]
     [--engine galera [--nodes 3] [--arbitrator] [--no-bootstrap]]
                            the console runs a production build (rebuilt when sources changed);
                            --dev runs \`next dev\` instead; --netns: each node, SIP server and
                            the console in its own network namespace; --db-policy: how each SIP
                            server reaches the databases (db_cluster; default co-located);
                            DNS (BIND 9) for the SIP domain: SRV priority:weight per SIP server
                            (default p1 0, p2 1, …); --edge: a Kamailio forwarding by RFC 3263;
                            --engine galera: a Galera cluster instead of the pair;
                            --no-bootstrap: its nodes configured, bootstrapped from the console
  up --clusters K [--nodes N]  K clusters of N nodes (default 2) behind a first stage f1
  load --site f1 ...        REGISTER load through the first stage
  status [--json]
  kill|stop|cont|start NAME SIGKILL, SIGSTOP, SIGCONT or start again d1.. / p1..
  load [--site p1] [--rate 280] [--users 100] [--duration 60] [--transport udp|tcp] [--calls R]
                            REGISTERs at --rate/s; --calls R also places R calls/s, user1098 to user1099
  call --from U --to U [--site p2] [--rate R --duration S]
                            U's phone registers at p1 and answers; calls go through --site
  partition A B | A --all    (--netns) drop all traffic between A and B (names: d1.., p1.., console)
  heal [A B]                (--netns) restore traffic between A and B, or everywhere
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
      const nodes = num(f, 'nodes', f.engine === 'galera' ? 3 : 2);
      const sites = f.fresh === true ? 1 : nodes;
      const srv = parseSrvOption(typeof f.srv === 'string' ? f.srv : undefined, sites);
      const dns = f['no-dns'] === true ? false : { srv, ttl: num(f, 'dns-ttl', 5) };
      if (f['no-bootstrap'] === true && f.engine !== 'galera')
        throw new Error('--no-bootstrap is for --engine galera');
      const edge = f.edge === true ? { failover: f['no-failover'] !== true } : false;
      if (edge && !dns) throw new Error('--edge resolves through the lab DNS server: drop --no-dns');
      const stopped = stopOnSignal(a.dir);
      let state: Awaited<ReturnType<typeof up>> | null;
      try {
        const starting = up({
          dir: a.dir,
          nodes,
          dns,
          edge,
          engine: engineFlag(f.engine),
          arbitrator: f.arbitrator === true,
          bootstrap: f['no-bootstrap'] !== true,
          clusters: f.clusters === undefined ? undefined : num(f, 'clusters', 2),
          fresh: f.fresh === true,
          dbPolicy: dbPolicy(f['db-policy']),
          console: f['no-console'] !== true,
          dev: f.dev === true,
          detach,
          netns: f.netns === true,
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
        if (s.dns) log(`dns  ${s.dns.host}:${s.dns.port}  zone ${s.dns.zone}`);
        if (s.edge)
          log(
            `edge  ${s.edge.state.padEnd(8)} sip ${s.edge.host}:${s.edge.udp} (udp+tcp)  rpc ${s.edge.rpc}  pid ${s.edge.pid}`,
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
    case 'partition':
      partition(a.dir, a.name!, f.all === true ? 'all' : a.other!);
      log(`✓ ${a.name} cut from ${f.all === true ? 'everyone' : a.other}`);
      return 0;
    case 'heal':
      heal(a.dir, a.name, a.other);
      log(a.name ? `✓ ${a.name} and ${a.other} reach each other again` : '✓ every partition healed');
      return 0;
    case 'load': {
      const transport = f.transport === 'tcp' ? 'tcp' : 'udp';
      const site = typeof f.site === 'string' ? f.site : 'p1';
      const r = await load(a.dir, {
        site,
        rate: num(f, 'rate', 280),
        users: num(f, 'users', 100),
        duration: num(f, 'duration', 60),
        transport,
        calls: f.calls === undefined ? undefined : num(f, 'calls', 1),
      });
      log(`REGISTER sent ${r.sent}  ok ${r.ok}  failed ${r.failed}`);
      log(`response time ms: p50 ${r.p50}  p95 ${r.p95}  p99 ${r.p99}`);
      if (r.calls) {
        log(`calls attempted ${r.calls.attempted}  answered ${r.calls.answered}  failed ${r.calls.failed}`);
        log(`setup time ms: p50 ${r.calls.p50}  p95 ${r.calls.p95}  p99 ${r.calls.p99}`);
      }
      const callsFailed = r.calls ? r.calls.failed > 0 || r.calls.answered === 0 : false;
      return r.failed > 0 || r.ok === 0 || callsFailed ? 1 : 0;
    }
    case 'call': {
      if (typeof f.from !== 'string' || typeof f.to !== 'string')
        throw new Error('call needs --from USER and --to USER, such as --from user1000 --to user1001');
      const r = await call(a.dir, {
        from: f.from,
        to: f.to,
        site: typeof f.site === 'string' ? f.site : undefined,
        calleeSite: typeof f['callee-site'] === 'string' ? f['callee-site'] : undefined,
        rate: num(f, 'rate', 1),
        duration: f.duration === undefined ? undefined : num(f, 'duration', 1),
      });
      log(
        `attempted ${r.attempted}  answered ${r.answered}  failed ${r.failed}  (answered at ${f.to}'s phone: ${r.atCallee})`,
      );
      log(`setup time ms: p50 ${r.p50}  p95 ${r.p95}  p99 ${r.p99}`);
      return r.failed > 0 || r.answered === 0 ? 1 : 0;
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
