// `npm test`: every suite, then one closing line "N passed, N failed" over all of them.
// Suites: static checks (Biome, TypeScript), unit, integration (real lab), end-to-end
// (Playwright in Debian's Chromium against the production build and a real lab).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const ART = 'test-artifacts';
mkdirSync(ART, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const wanted = (s: string) => only.length === 0 || only.includes(s);

interface Tally {
  suite: string;
  passed: number;
  failed: number;
}
const tallies: Tally[] = [];

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  return r.status ?? 1;
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
  if (!existsSync(file)) return tallies.push({ suite: project, passed: 0, failed: 1 });
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTestSuites: number;
    testResults: { status: string }[];
  };
  // A file that failed to load has no test results but counts as a failure.
  const brokenFiles = r.testResults.filter((t) => t.status === 'failed').length;
  const failed = r.numFailedTests || (code !== 0 ? Math.max(brokenFiles, 1) : 0);
  tallies.push({ suite: project, passed: r.numPassedTests, failed });
}

function playwright() {
  const file = `${ART}/e2e-results.json`;
  rmSync(file, { force: true });
  if (run('npx', ['next', 'build']) !== 0)
    return tallies.push({ suite: 'e2e (build)', passed: 0, failed: 1 });
  const code = run('npx', ['playwright', 'test']);
  if (!existsSync(file)) return tallies.push({ suite: 'e2e', passed: 0, failed: 1 });
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  const failed = r.stats.unexpected + r.stats.skipped + (code !== 0 && r.stats.unexpected === 0 ? 1 : 0);
  tallies.push({ suite: 'e2e', passed: r.stats.expected + r.stats.flaky, failed });
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
  console.log(`${t.suite.padEnd(13)} ${String(t.passed).padStart(6)}  ${String(t.failed).padStart(6)}`);
const passed = tallies.reduce((a, t) => a + t.passed, 0);
const failed = tallies.reduce((a, t) => a + t.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
