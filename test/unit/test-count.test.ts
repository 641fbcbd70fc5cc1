import { describe, expect, it } from 'vitest';
import { tallyPlaywright, tallyVitest, testFilesOutside } from '../../scripts/test-count.ts';

// Trimmed from a real `vitest --reporter=json` run over three files: a `beforeAll` that throws
// before two tests, one passed + one skipped + one todo + one failed test, and an import that fails.
const vitestReport = JSON.stringify({
  numPassedTests: 1,
  numFailedTests: 1,
  testResults: [
    {
      name: '/t/a.test.ts',
      status: 'failed',
      assertionResults: [{ status: 'skipped' }, { status: 'skipped' }],
    },
    {
      name: '/t/b.test.ts',
      status: 'failed',
      assertionResults: [
        { status: 'passed' },
        { status: 'skipped' },
        { status: 'todo' },
        { status: 'failed' },
      ],
    },
    { name: '/t/c.test.ts', status: 'failed', assertionResults: [] },
  ],
});

describe('vitest tally', () => {
  it('counts skipped, todo, tests under a failed hook and crashed files as failed', () => {
    expect(tallyVitest('unit', vitestReport, 1)).toEqual({ suite: 'unit', passed: 1, failed: 6 });
  });
  it('counts a missing or truncated results file as a failure', () => {
    expect(tallyVitest('unit', null, 1)).toMatchObject({ passed: 0, failed: 1 });
    expect(tallyVitest('unit', vitestReport.slice(0, 80), 0)).toMatchObject({ passed: 0, failed: 1 });
  });
  it('counts a non-zero exit without a failed test as one failure', () => {
    const clean = JSON.stringify({
      testResults: [{ status: 'passed', assertionResults: [{ status: 'passed' }] }],
    });
    expect(tallyVitest('unit', clean, 0)).toMatchObject({ passed: 1, failed: 0 });
    expect(tallyVitest('unit', clean, 1)).toMatchObject({ passed: 1, failed: 1 });
  });
});

describe('playwright tally', () => {
  it('counts skipped tests and global errors as failed, flaky as passed', () => {
    const r = JSON.stringify({ stats: { expected: 5, unexpected: 1, flaky: 1, skipped: 2 }, errors: [{}] });
    expect(tallyPlaywright(r, 1)).toEqual({ suite: 'e2e', passed: 6, failed: 4 });
  });
  it('counts a truncated results file as a failure', () => {
    expect(tallyPlaywright('{"stats": {"expec', 1)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('test files outside the include globs', () => {
  const includes = ['lib/**/*.test.ts', 'test/unit/**/*.test.ts'];
  it('finds test files no suite runs and accepts nested ones that a glob covers', () => {
    const files = [
      'lib/a.test.ts',
      'lib/x/y/b.test.ts',
      'test/unit/c.test.ts',
      'test/other/d.test.ts',
      'app/e.test.ts',
      'e2e/f.spec.ts',
      'lib/g.ts',
    ];
    expect(testFilesOutside(files, includes)).toEqual(['test/other/d.test.ts', 'app/e.test.ts']);
  });
});
