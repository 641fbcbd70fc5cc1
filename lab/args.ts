import { resolve } from 'node:path';

export interface Args {
  verb: string;
  name?: string;
  dir: string;
  flags: Record<string, string | boolean>;
}

const BOOLEAN = new Set(['fresh', 'no-console', 'detach', 'json', 'help', 'arbitrator']);
const VERBS = new Set(['setup', 'up', 'down', 'status', 'kill', 'stop', 'cont', 'start', 'load']);

/** `lab [verb] [NAME] [--flag value | --bool]`; no verb means set-up then up with console. */
export function parseArgs(argv: string[], repoRoot: string): Args {
  const flags: Record<string, string | boolean> = {};
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      pos.push(a);
      continue;
    }
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (BOOLEAN.has(key)) flags[key] = true;
    else if (inline !== undefined) flags[key] = inline;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${key} needs a value`);
      flags[key] = v;
    }
  }
  const verb = pos[0] ?? 'setup';
  if (!VERBS.has(verb)) throw new Error(`unknown verb ${verb}`);
  const needsName = ['kill', 'stop', 'cont', 'start'].includes(verb);
  if (needsName && !pos[1]) throw new Error(`${verb} needs a NAME such as d1 or p1`);
  const dir = resolve(repoRoot, typeof flags.dir === 'string' ? flags.dir : '.lab');
  return { verb, name: pos[1], dir, flags };
}

export function num(flags: Args['flags'], key: string, dflt: number): number {
  const v = flags[key];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${key} must be a positive number`);
  return n;
}
