import { resolve } from 'node:path';

export interface Args {
  verb: string;
  name?: string;
  /** The second name of `partition A B` / `heal A B`. */
  other?: string;
  dir: string;
  flags: Record<string, string | boolean>;
}

type Option = 'flag' | 'value';
interface Verb {
  /** Takes a NAME such as d1 or p1 (`true`), or up to two (`'pair'`: partition A B, heal [A B]). */
  name?: boolean | 'pair';
  options: Record<string, Option>;
  /** Shown in the usage line: `--nodes N`. */
  hint?: Record<string, string>;
}

const UP: Verb = {
  options: {
    nodes: 'value',
    fresh: 'flag',
    'no-console': 'flag',
    detach: 'flag',
    dev: 'flag',
    netns: 'flag',
    'db-policy': 'value',
    srv: 'value',
    'dns-ttl': 'value',
    'no-dns': 'flag',
    edge: 'flag',
    'no-failover': 'flag',
    engine: 'value',
    arbitrator: 'flag',
    'no-bootstrap': 'flag',
    clusters: 'value',
  },
  hint: {
    nodes: 'N',
    'db-policy': 'co-located|single-writer|single-url',
    srv: '0:40,0:40,0:20',
    'dns-ttl': '5',
    engine: 'pair|galera',
    clusters: 'K',
  },
};

// Every verb with the options it accepts (all take --dir DIR and --help). A new verb or option
// is one line here; anything not listed is refused with the verb's usage line.
export const VERBS: Record<string, Verb> = {
  setup: UP,
  up: UP,
  down: { options: {} },
  status: { options: { json: 'flag' } },
  kill: { name: true, options: {} },
  stop: { name: true, options: {} },
  cont: { name: true, options: {} },
  start: { name: true, options: {} },
  partition: { name: 'pair', options: { all: 'flag' } },
  heal: { name: 'pair', options: {} },
  load: {
    options: {
      site: 'value',
      rate: 'value',
      users: 'value',
      duration: 'value',
      transport: 'value',
      calls: 'value',
    },
    hint: { site: 'p1', rate: '280', users: '100', duration: '60', transport: 'udp|tcp', calls: 'R' },
  },
  call: {
    options: {
      from: 'value',
      to: 'value',
      site: 'value',
      'callee-site': 'value',
      rate: 'value',
      duration: 'value',
    },
    hint: { from: 'U', to: 'U', site: 'p2', 'callee-site': 'p1', rate: 'R', duration: 'S' },
  },
};

const COMMON: Record<string, Option> = { dir: 'value', help: 'flag' };

export function usageOf(verb: string): string {
  const v = VERBS[verb];
  if (!v) return `verbs: ${Object.keys(VERBS).join(', ')}`;
  const opts = Object.entries(v.options).map(([k, t]) =>
    t === 'flag' ? `[--${k}]` : `[--${k} ${v.hint?.[k] ?? 'VALUE'}]`,
  );
  return [
    'usage: npm run lab --',
    verb === 'setup' ? '' : verb,
    v.name === 'pair' ? 'A [B]' : v.name ? 'NAME' : '',
    ...opts,
    '[--dir DIR]',
  ]
    .filter(Boolean)
    .join(' ');
}

/** `lab [verb] [NAME] [--flag value | --bool]`; no verb means set-up then up with console. */
export function parseArgs(argv: string[], repoRoot: string): Args {
  const pos = argv.filter((a, i) => !a.startsWith('--') && !isValueOf(argv, i));
  const verb = pos[0] ?? 'setup';
  const known = (k: string) => k in COMMON || Object.values(VERBS).some((v) => k in v.options);
  const stray = argv.find((a) => a.startsWith('--') && !known(a.slice(2).split('=')[0]!));
  if (stray)
    throw new Error(`unknown option ${stray.split('=')[0]}; ${usageOf(VERBS[verb] ? verb : 'setup')}`);
  const spec = VERBS[verb];
  if (!spec) throw new Error(`unknown verb ${verb}; ${usageOf(verb)}`);
  const allowed = { ...COMMON, ...spec.options };
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const type = allowed[key];
    if (!type) throw new Error(`unknown option --${key} for ${verb}; ${usageOf(verb)}`);
    if (type === 'flag') {
      if (inline !== undefined) throw new Error(`--${key} takes no value; ${usageOf(verb)}`);
      flags[key] = true;
    } else if (inline !== undefined) flags[key] = inline;
    else {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`--${key} needs a value; ${usageOf(verb)}`);
      flags[key] = v;
    }
  }
  const rest = pos.slice(1);
  const most = spec.name === 'pair' ? 2 : spec.name ? 1 : 0;
  if (spec.name === true && !rest[0])
    throw new Error(`${verb} needs a NAME such as d1 or p1; ${usageOf(verb)}`);
  if (rest.length > most) throw new Error(`unexpected ${rest.at(-1)} for ${verb}; ${usageOf(verb)}`);
  if (verb === 'partition' && !(rest[1] || (rest[0] && flags.all === true)))
    throw new Error(`partition needs two names (partition d1 d2) or one and --all; ${usageOf(verb)}`);
  if (verb === 'heal' && rest[0] && !rest[1])
    throw new Error(`heal takes two names, or none; ${usageOf(verb)}`);
  const dir = resolve(repoRoot, typeof flags.dir === 'string' ? flags.dir : '.lab');
  return { verb, name: most > 0 ? rest[0] : undefined, other: most > 1 ? rest[1] : undefined, dir, flags };
}

/** Whether argv[i] is the value of the value option before it (`--nodes 3`). */
function isValueOf(argv: string[], i: number): boolean {
  const prev = argv[i - 1];
  if (!prev?.startsWith('--') || prev.includes('=')) return false;
  const key = prev.slice(2);
  return Object.values(VERBS).some((v) => v.options[key] === 'value') || COMMON[key] === 'value';
}

export function num(flags: Args['flags'], key: string, dflt: number): number {
  const v = flags[key];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${key} must be a positive number`);
  return n;
}
