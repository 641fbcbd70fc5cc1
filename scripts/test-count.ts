// Counting for `npm test`, kept apart from the runner so it can be tested on real report files.
// Only a test that ran and passed counts as passed; anything else that was meant to run counts
// as failed, and a report that cannot be read counts as one failure rather than none.

export interface Tally {
  suite: string;
  passed: number;
  failed: number;
  note?: string;
}

interface VitestReport {
  testResults: { name: string; status: string; assertionResults: { status: string }[] }[];
}

/** A results file that is missing or cannot be read: one failure, never a green count. */
function unreadable(suite: string, json: string | null): Tally {
  return { suite, passed: 0, failed: 1, note: json === null ? 'no results file' : 'unreadable results file' };
}

export function tallyVitest(suite: string, json: string | null, exitCode: number): Tally {
  let r: VitestReport;
  try {
    r = JSON.parse(json ?? '') as VitestReport;
    if (!Array.isArray(r.testResults)) throw new Error('no testResults');
  } catch {
    return unreadable(suite, json);
  }
  let passed = 0;
  let failed = 0;
  for (const f of r.testResults) {
    const ok = f.assertionResults.filter((a) => a.status === 'passed').length;
    passed += ok;
    const notOk = f.assertionResults.length - ok;
    // A file that failed to load or whose hooks failed may list no failed test: it still fails.
    failed += f.status === 'failed' ? Math.max(notOk, 1) : notOk;
  }
  if (exitCode !== 0 && failed === 0) failed = 1;
  return { suite, passed, failed };
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: unknown[];
}

export function tallyPlaywright(json: string | null, exitCode: number): Tally {
  const suite = 'e2e';
  let r: PlaywrightReport;
  try {
    r = JSON.parse(json ?? '') as PlaywrightReport;
    if (typeof r.stats?.expected !== 'number') throw new Error('no stats');
  } catch {
    return unreadable(suite, json);
  }
  let failed = r.stats.unexpected + r.stats.skipped + (r.errors?.length ?? 0);
  if (exitCode !== 0 && failed === 0) failed = 1;
  return { suite, passed: r.stats.expected + r.stats.flaky, failed };
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('/')
    .map((part) =>
      part === '**' ? '(?:.*/)?' : `${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/`,
    )
    .join('');
  return new RegExp(`^${body.replace(/\/$/, '')}$`);
}

/** The `*.test.ts` files among `files` that no include glob matches: tests nobody runs. */
export function testFilesOutside(files: string[], includes: string[]): string[] {
  const res = includes.map(globToRegExp);
  return files.filter((f) => f.endsWith('.test.ts') && !res.some((re) => re.test(f)));
}
