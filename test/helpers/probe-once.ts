// Runs the connection list's prober once against a lab's nodes and prints its verdicts as JSON:
// detector.test.ts starts it from another working directory to show the worker is found (and
// finds mysql2) from the module's own location. Usage: tsx probe-once.ts CONFIG_PATH
import { Prober } from '@/lib/db/detector/prober';
import { labConfig } from './console-list.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: probe-once.ts CONFIG_PATH');
const cfg = labConfig(path);
const prober = new Prober(cfg.nodes, { intervalMs: 250, timeoutMs: 800, silenceMs: 600, sipServers: [] });
await prober.firstRound();
console.log(JSON.stringify([...prober.verdicts.values()].map((v) => ({ name: v.name, state: v.state }))));
await prober.close();
