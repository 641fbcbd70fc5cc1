import { execFileSync } from 'node:child_process';

export interface Credentials {
  user: string;
  password: string;
  role: string;
}

/** Creates (or resets) a console account through the same CLI an operator uses. */
export function createAccount(opts: { configPath: string; user: string; role: string }): Credentials {
  const out = execFileSync(
    'npx',
    ['tsx', 'scripts/admin.ts', 'create', '--user', opts.user, '--role', opts.role, '--reset', '--json'],
    {
      env: { ...process.env, SIPHA_CONFIG: opts.configPath, NODE_OPTIONS: '--conditions=react-server' },
      encoding: 'utf8',
    },
  );
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`admin create printed no JSON: ${out}`);
  return JSON.parse(line) as Credentials;
}
