// `npm run bench -- NAME` runs one benchmark; `npm run bench` lists them (see docs/BENCH.md).
// Each benchmark is bench/NAME.ts exporting `description` and `run()`; it starts its own lab on
// free ports in a temporary folder and stops it at the end, also on failure or Ctrl-C.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const name = process.argv[2];
if (!name) {
  console.log('benchmarks (npm run bench -- NAME):');
  for (const n of names) {
    const mod = (await import(`./${n}.ts`)) as { description?: string };
    console.log(`  ${n.padEnd(14)} ${mod.description ?? ''}`);
  }
  process.exit(0);
}
if (!names.includes(name)) {
  console.error(`no benchmark named ${name}; have: ${names.join(', ')}`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as {
  run: (args: string[]) => Promise<void>;
  /** The arguments the benchmark takes, for its usage line; none when absent. */
  usage?: string;
};
const args = process.argv.slice(3);
// A benchmark takes only the arguments it declares: a mistyped option must not start a
// twenty-minute run that silently ignores it. One whose usage names options (--x) parses them
// itself with parseArgs, which refuses unknown ones; the others take at most their positionals.
const takesOptions = mod.usage?.includes('--') ?? false;
const declared = mod.usage ? mod.usage.split(/\s+/).length : 0;
if (!takesOptions && (args.length > declared || args.some((a) => a.startsWith('-')))) {
  console.error(`${name} takes ${mod.usage ? `only ${mod.usage}` : 'no arguments'}; got ${args.join(' ')}`);
  console.error(`usage: npm run bench -- ${name}${mod.usage ? ` ${mod.usage}` : ''}`);
  process.exit(2);
}
await mod.run(args);
process.exit(0);
