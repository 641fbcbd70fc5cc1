// Console administration from the shell:
//   npm run admin -- create --user NAME [--role admin|operator|viewer] [--reset] [--json]
//   npm run admin -- token create --role ROLE [--name NAME] [--json]
// Runs with the react-server condition (see package.json) so lib/ modules load outside Next.
import { parseArgs } from 'node:util';
import { audited } from '@/lib/audit/audited';
import { createAccount } from '@/lib/auth/accounts';
import { isRole } from '@/lib/auth/roles';
import { createToken } from '@/lib/auth/tokens';
import { getConnectionList } from '@/lib/db';
import { publicError } from '@/lib/errors';

const USAGE =
  'usage: npm run admin -- create --user NAME [--role ROLE] [--reset] [--json] | token create --role ROLE [--name NAME] [--json]';

function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      tokens: true,
      options: {
        user: { type: 'string' },
        role: { type: 'string', default: 'admin' },
        name: { type: 'string' },
        reset: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    console.error(`admin: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

/** The options each command reads; any other one would be silently ignored, so it is refused. */
const OPTIONS: Record<string, string[]> = {
  create: ['user', 'role', 'reset', 'json'],
  'token create': ['role', 'name', 'json'],
};

const { positionals, values, tokens } = args();
const verb = positionals.join(' ');
if (!Object.hasOwn(OPTIONS, verb)) {
  console.error(`admin: ${verb ? `unknown command "${verb}"` : 'no command'}\n${USAGE}`);
  process.exit(2);
}
for (const t of tokens) {
  if (t.kind === 'option' && !OPTIONS[verb]!.includes(t.name)) {
    console.error(`admin: ${verb} takes no --${t.name}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  const role = values.role;
  if (!isRole(role)) throw new Error(`--role must be admin, operator or viewer`);
  if (verb === 'create') {
    if (!values.user || !/^[A-Za-z0-9._-]{1,64}$/.test(values.user))
      throw new Error('--user NAME is required (letters, digits, . _ -)');
    const username = values.user;
    const r = await audited({
      actor: 'cli',
      action: values.reset ? 'account.reset' : 'account.create',
      target: () => username,
      run: () => createAccount({ username, role, reset: values.reset }),
    });
    if (values.json) console.log(JSON.stringify({ user: r.username, password: r.password, role: r.role }));
    else
      console.log(
        `Account ${r.username} (${r.role}) ready on ${r.node}. Password (shown once): ${r.password}`,
      );
    return 0;
  }
  if (verb === 'token create') {
    const name = values.name ?? `${role}-${new Date().toISOString().slice(0, 10)}`;
    const r = await audited({
      actor: 'cli',
      action: 'token.create',
      target: () => name,
      run: () => createToken({ name, role, createdBy: 'cli' }),
      outcome: (t) => ({ outcome: 'ok', node: t.node, detail: `role ${role}` }),
    });
    if (values.json) console.log(JSON.stringify({ name, role, token: r.token }));
    else console.log(`Token ${name} (${role}). Shown once, keep it safe:\n${r.token}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main()
  .then(async (code) => {
    await (await getConnectionList()).close();
    process.exit(code);
  })
  .catch((err) => {
    console.error(`admin: ${publicError(err).message}`);
    process.exit(1);
  });
