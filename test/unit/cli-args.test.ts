import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Issue 17: the admin and bench command lines refuse what they do not know, with a usage line,
// before touching any configuration or starting any lab. (The lab's own parser is tested in
// lab/lab.test.ts.)

function run(script: string, args: string[]) {
  // One process (no npx or tsx wrapper) stopped like Ctrl-C on a timeout: should a command line
  // wrongly accept the arguments and start a lab, it stops that lab again instead of orphaning it.
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    killSignal: 'SIGINT',
    env: {
      ...process.env,
      SIPHA_CONFIG: '/nonexistent/sipha.config.json',
      NODE_OPTIONS: '--conditions=react-server',
    },
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('command lines refuse unknown options and verbs', () => {
  it('admin: an unknown option or command gets the usage line and exit 2, no stack', () => {
    for (const args of [
      ['create', '--user', 'x', '--rol', 'viewer'],
      ['explode'],
      // An option of the other command would be ignored without a word.
      ['create', '--user', 'x', '--name', 'y'],
      ['token', 'create', '--role', 'viewer', '--user', 'x'],
    ]) {
      const r = run('scripts/admin.ts', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toMatch(/usage: npm run admin -- create --user NAME/);
      expect(r.out).not.toMatch(/\n\s+at /);
    }
  }, 150_000);

  it('bench: arguments a benchmark does not declare are refused before it starts', () => {
    const r = run('bench/run.ts', ['dashboard', '--fast']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/usage: npm run bench -- dashboard/);
    const extra = run('bench/run.ts', ['snapshot', '3', '4']);
    expect(extra.code).toBe(2);
    expect(extra.out).toMatch(/usage: npm run bench -- snapshot \[RUNS\]/);
  }, 150_000);
});
