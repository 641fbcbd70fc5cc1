import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The lab, the benchmarks and the tests run the console as users run it: `next start` on a
// production build. The build is made on first use and again whenever a source file changed
// (a content hash over everything that goes into it, kept beside the build).

const SOURCES = ['app', 'components', 'lib', 'public'];
const FILES = [
  'next.config.ts',
  'instrumentation.ts',
  'proxy.ts',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];
const STAMP = 'sipha-sources.sha256';

function walk(root: string, dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (!/\.test\.tsx?$/.test(e.name)) out.push(relative(root, p));
  }
}

/** A hash over every file the production build is made from. */
export function sourceHash(repoRoot: string): string {
  const files: string[] = [];
  for (const d of SOURCES) if (existsSync(join(repoRoot, d))) walk(repoRoot, join(repoRoot, d), files);
  for (const f of FILES) if (existsSync(join(repoRoot, f))) files.push(f);
  const h = createHash('sha256');
  for (const f of files.sort())
    h.update(f)
      .update('\0')
      .update(readFileSync(join(repoRoot, f)))
      .update('\0');
  return h.digest('hex');
}

export function distDir(repoRoot: string): string {
  return join(repoRoot, process.env.NEXT_DIST_DIR || '.next');
}

/** Whether the production build exists and was made from the sources as they are now. */
export function buildIsCurrent(repoRoot: string): boolean {
  const dist = distDir(repoRoot);
  const stamp = join(dist, STAMP);
  return (
    existsSync(join(dist, 'BUILD_ID')) &&
    existsSync(stamp) &&
    statSync(stamp).isFile() &&
    readFileSync(stamp, 'utf8') === sourceHash(repoRoot)
  );
}

/** Builds when needed, showing next's progress lines through `log`. */
export async function ensureBuild(
  repoRoot: string,
  log: (line: string) => void,
): Promise<'current' | 'built'> {
  if (buildIsCurrent(repoRoot)) return 'current';
  const hash = sourceHash(repoRoot);
  const t0 = performance.now();
  log('… production build of the console (sources changed or no build yet)');
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.NODE_OPTIONS; // the react-server condition of tsx scripts breaks `next build`
  const child = spawn('npx', ['next', 'build'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const show = (buf: Buffer) => {
    for (const line of buf
      .toString()
      .split('\n')
      .filter((l) => l.trim())) {
      log(`  ${line}`);
      tail.push(line);
      if (tail.length > 30) tail.shift();
    }
  };
  child.stdout.on('data', show);
  child.stderr.on('data', show);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${tail.join('\n')}`);
  writeFileSync(join(distDir(repoRoot), STAMP), hash);
  log(`✓ production build (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  return 'built';
}
