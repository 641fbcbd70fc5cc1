// `npm test`: every suite, then one closing line "N passed, N failed" over all of them.
// Suites: static checks (Biome, TypeScript), unit, integration (real lab), end-to-end
// (Playwright in Debian's Chromium against the production build and a real lab).
// Only a test that ran and passed counts as passed: skipped, todo, not run and crashed count as failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Tally, tallyPlaywright, tallyVitest, testFilesOutside } from './test-count.ts';

const ART = 'test-artifacts';
const SUITES = ['static', 'unit', 'integration', 'e2e'];
// The include globs of vitest.config.ts; Playwright's specs are *.spec.ts under e2e/.
const INCLUDES = [
  'lib/**/*.test.ts',
  'lab/**/*.test.ts',
  'test/unit/**/*.test.ts',
  'test/integration/**/*.test.ts',
];
const SKIP_DIRS = new Set(['node_modules', '.next', '.git', '.lab', 'test-artifacts', 'test-results']);

const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const unknown = only.filter((s) => !SUITES.includes(s));
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.join(', ')}: choose from ${SUITES.join(', ')}`);
  process.exit(2);
}
const wanted = (s: string) => only.length === 0 || only.includes(s);

mkdirSync(ART, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const tallies: Tally[] = [];

function run(cmd: string, args: string[]): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  return r.status ?? 1;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name)) continue;
    const p = dir === '.' ? e.name : join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

function vitest(project: string) {
  const file = `${ART}/${project}-results.json`;
  rmSync(file, { force: true });
  const code = run('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  tallies.push(tallyVitest(project, readOrNull(file), code));
}

function playwrightTestCount(): number {
  const r = spawnSync('npx', ['playwright', 'test', '--list'], { encoding: 'utf8', env });
  const m = /Total: (\d+) tests?/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : 1;
}

function playwright() {
  const file = `${ART}/e2e-results.json`;
  rmSync(file, { force: true });
  if (run('npx', ['next', 'build']) !== 0) {
    return tallies.push({
      suite: 'e2e',
      passed: 0,
      failed: playwrightTestCount(),
      note: 'build failed, not run',
    });
  }
  const code = run('npx', ['playwright', 'test']);
  tallies.push(tallyPlaywright(readOrNull(file), code));
}

const strays = testFilesOutside(listFiles('.'), INCLUDES);
if (strays.length > 0) {
  for (const f of strays) console.error(`${f}: a test file outside every suite's include globs`);
  tallies.push({ suite: 'layout', passed: 0, failed: strays.length, note: 'test files no suite runs' });
}
if (wanted('static')) {
  const lint = run('npx', ['biome', 'ci', '.']);
  const types = run('npx', ['tsc', '--noEmit', '-p', '.']);
  tallies.push({
    suite: 'static',
    passed: (lint === 0 ? 1 : 0) + (types === 0 ? 1 : 0),
    failed: (lint ? 1 : 0) + (types ? 1 : 0),
  });
}
if (wanted('unit')) vitest('unit');
if (wanted('integration')) vitest('integration');
if (wanted('e2e')) playwright();

console.log('\nsuite         passed  failed');
for (const t of tallies)
  console.log(
    `${t.suite.padEnd(13)} ${String(t.passed).padStart(6)}  ${String(t.failed).padStart(6)}${t.note ? `  (${t.note})` : ''}`,
  );
const passed = tallies.reduce((a, t) => a + t.passed, 0);
const failed = tallies.reduce((a, t) => a + t.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
