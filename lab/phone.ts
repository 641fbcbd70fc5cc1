import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import { sleep } from './process.ts';
import { injectionCsv } from './sipp.ts';
import type { LabSip } from './state.ts';

const PHONE = fileURLToPath(new URL('./sipp-phone.xml', import.meta.url));
const ANSWER = fileURLToPath(new URL('./sipp-answer.xml', import.meta.url));

export interface Phone {
  user: string;
  port: number;
  /** Calls this phone answered so far (each logged by lab/sipp-answer.xml). */
  answered: () => number;
  /** Lines of its log containing `word` (what its answering scenario logged). */
  logged: (word: string) => number;
  /** Resolves when the phone unregistered and sipp exited (after `stayMs`), or was killed. */
  exited: Promise<void>;
  stop: () => Promise<void>;
}

/**
 * A phone that registers `user` at `sip`, answers every call it gets for `stayMs`, then
 * unregisters: one sipp process, the answering side as its out-of-call scenario.
 */
export async function startPhone(opts: {
  sip: LabSip;
  user: { username: string; password: string };
  domain: string;
  workDir: string;
  stayMs: number;
  expires?: number;
  timeoutMs?: number;
  /** How it takes calls: lab/sipp-answer.xml unless told (lab/sipp-ring.xml rings until CANCEL). */
  answer?: string;
}): Promise<Phone> {
  const work = mkdtempSync(join(opts.workDir, 'phone-'));
  const csv = join(work, 'phone.csv');
  writeFileSync(csv, injectionCsv([opts.user], opts.domain, opts.expires ?? 3600));
  const port = await freePort();
  // prettier-ignore
  const args = [
    `${opts.sip.host}:${opts.sip.udp}`,
    '-sf',
    PHONE,
    '-oocsf',
    opts.answer ?? ANSWER,
    '-inf',
    csv,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-m',
    '1',
    '-d',
    String(opts.stayMs),
    '-nostdin',
    '-trace_logs',
    '-trace_err',
    '-timeout',
    `${Math.ceil(opts.stayMs / 1000) + 60}s`,
  ];
  const child = spawn('sipp', args, { cwd: work, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const logText = () => {
    const f = readdirSync(work).find((n) => n.endsWith('_logs.log'));
    return f && existsSync(join(work, f)) ? readFileSync(join(work, f), 'utf8') : '';
  };
  const count = (word: string) =>
    logText()
      .split('\n')
      .filter((l) => l.includes(word)).length;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(work, { recursive: true, force: true });
  };
  const until = Date.now() + (opts.timeoutMs ?? 10_000);
  while (count('registered') === 0) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${opts.user.username} could not register at ${opts.sip.name} (see ${work})`);
    }
    await sleep(50);
  }
  return { user: opts.user.username, port, answered: () => count('answered'), logged: count, exited, stop };
}
