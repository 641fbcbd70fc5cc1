// `npm run lab` on a fresh clone: node_modules (and with it tsx) is not there yet, so this
// plain-Node bootstrap installs it first, then loads the lab CLI (lab/cli.ts) in this same
// process, so that Ctrl-C reaches the CLI exactly once and it can stop what it started.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(`${root}node_modules/tsx`)) {
  const t0 = Date.now();
  console.log('… npm ci (node_modules is missing)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`✓ npm ci (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const { register } = await import('tsx/esm/api');
register();
await import('../lab/cli.ts');
