// Playwright's webServer: one lab (2 nodes, 2 Kamailio) and the console's production build on
// E2E_PORT. Accounts for each role are written to LAB/credentials.json for the specs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { down, up } from '../../lab/index.ts';
import { createAccount } from './accounts.ts';
import { startConsole, stopConsole } from './console.ts';

const dir = process.env.E2E_LAB_DIR ?? '/tmp/sipha-e2e-lab';
const port = Number(process.env.E2E_PORT ?? 3210);

await down(dir).catch(() => undefined); // a lab left over from an interrupted run
const state = await up({ dir, nodes: 2, dns: true, log: (l) => console.log(l) });
// Accounts first: Playwright starts the specs as soon as the console answers.
const credentials = Object.fromEntries(
  (['admin', 'operator', 'viewer'] as const).map((role) => [
    role,
    createAccount({ configPath: state.configPath, user: `e2e-${role}`, role }),
  ]),
);
writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials), { mode: 0o600 });
const child = await startConsole({ configPath: state.configPath, port, logFile: join(dir, 'console.log') });
console.log(`e2e console on http://127.0.0.1:${port}, lab ${dir}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  stopConsole(child);
  await down(dir).catch((e) => console.error('lab down failed', e));
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', () => void stop());
