// npm run bench -- dashboard
// The health route (GET /api/health-detail) under 20 concurrent pollers, each polling every 2 s
// as the page does, through a real production console (`next start`) on a lab with two nodes and
// two Kamailio servers. Cases: everything up, and d2 hung (SIGSTOP). Builds the production
// build first when the sources changed.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole, stopConsole } from '../e2e/support/console.ts';
import { ensureBuild } from '../lab/build.ts';
import { down, freePort, signal, up } from '../lab/index.ts';
import { REPO_ROOT } from '../lab/up.ts';
import { report, row } from './lib/report.ts';

export const description = 'health route p95 with 20 pollers every 2 s: all up vs one node hung (SIGSTOP)';

const RUNS = Number(process.env.RUNS ?? 5);
const POLLERS = 20;
const SECONDS = Number(process.env.SECONDS ?? 10);

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}

/** 20 pollers, each one request every 2 s (random phase), for SECONDS; returns every latency. */
async function poll(url: string, token: string): Promise<number[]> {
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const one = async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 2000));
    while (performance.now() < end) {
      const t = performance.now();
      // A request that never answers counts as its 5 s cut-off, which fails the target.
      const ok = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      })
        .then(async (r) => {
          await r.text();
          return r.ok;
        })
        .catch(() => false);
      const ms = performance.now() - t;
      lat.push(ok ? ms : Math.max(ms, 5000));
      await new Promise((r) => setTimeout(r, Math.max(0, 2000 - ms)));
    }
  };
  await Promise.all(Array.from({ length: POLLERS }, one));
  return lat;
}

async function waitFor(
  url: string,
  token: string,
  ok: (body: {
    directions: { health: string }[];
    overview: { nodes: { reachable: boolean | null }[] };
  }) => boolean,
  what: string,
) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const body = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => r.json())
      .catch(() => null);
    if (body && ok(body)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not within 30 s: ${what}`);
}

export async function run(): Promise<void> {
  await ensureBuild(REPO_ROOT, (l) => console.log(l));
  const dir = mkdtempSync(join(tmpdir(), 'bdash-'));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child) stopConsole(child);
    await signal(dir, 'd2', 'cont').catch(() => undefined);
    await down(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const state = await up({ dir, nodes: 2 });
    const env = { ...process.env, SIPHA_CONFIG: state.configPath, NODE_OPTIONS: '--conditions=react-server' };
    const out = execFileSync(
      'npx',
      ['tsx', 'scripts/admin.ts', 'token', 'create', '--role', 'viewer', '--name', 'bench', '--json'],
      { env, encoding: 'utf8' },
    );
    const token = JSON.parse(
      out
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'))!,
    ).token as string;
    const port = await freePort();
    child = await startConsole({ configPath: state.configPath, port, logFile: join(dir, 'console.log') });
    const url = `http://127.0.0.1:${port}/api/health-detail`;
    const allOk = (b: { directions: { health: string }[] }) =>
      b.directions.length === 2 && b.directions.every((d) => d.health === 'ok');
    await waitFor(url, token, allOk, 'both directions ok');
    const up95: number[] = [];
    const hung95: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      up95.push(p95(await poll(url, token)));
      await signal(dir, 'd2', 'stop');
      await waitFor(url, token, (b) => b.overview.nodes[1]?.reachable === false, 'd2 seen down');
      hung95.push(p95(await poll(url, token)));
      await signal(dir, 'd2', 'cont');
      await waitFor(url, token, allOk, 'd2 back and both directions ok');
      console.log(
        `  run ${i + 1}: all_up p95 ${up95.at(-1)!.toFixed(1)} ms, one_node_hung p95 ${hung95.at(-1)!.toFixed(1)} ms`,
      );
    }
    report('dashboard', [
      row({ case: 'all_up', metric: 'p95_ms', unit: 'ms', sipha: up95, target: '<= 100' }),
      row({ case: 'one_node_hung', metric: 'p95_ms', unit: 'ms', sipha: hung95, target: '<= 1200' }),
    ]);
  } finally {
    await stop();
  }
}
