import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, stopConsole } from '../../e2e/support/console.ts';
import { ensureBuild } from '../../lab/build.ts';
import { adminQuery, freePort } from '../../lab/index.ts';
import { REPO_ROOT } from '../../lab/up.ts';
import { IMPORT_MAX_BYTES, importLimitWords } from '../../lib/users/import-limit.ts';
import { type Lab, useLab } from '../helpers/lab';

// Issue 17: a 1,000,000-line CSV import must not starve the console. The production console
// (built first when the sources changed) imports while /api/health is polled: p99 under 200 ms
// (the slice is 4 ms: a wide margin) over enough samples that the p99 is not simply the slowest
// one, and no node marked down.

const LINES = 1_000_000;
let lab: () => Lab;
let child: ChildProcess | undefined;
let url = '';
let token = '';

/** One line in a hundred a valid user (10,000 users), the rest short lines with one field. */
function writeCsv(file: string): void {
  const fd = openSync(file, 'w');
  const batch: string[] = [];
  for (let i = 0; i < LINES; i++) {
    batch.push(i % 100 === 0 ? `imp${i},import-pass-${i}` : `imp${i}`);
    if (batch.length === 10_000) writeSync(fd, `${batch.splice(0).join('\n')}\n`);
  }
  closeSync(fd);
}

/** The upload from its own process (curl), so this one only measures. */
function upload(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = [
      '-sS',
      '-X',
      'POST',
      '-H',
      `authorization: Bearer ${token}`,
      '-H',
      'content-type: text/csv',
    ];
    const curl = spawn('curl', [...args, '--data-binary', `@${file}`, `${url}/api/v1/users/import`]);
    let out = '';
    curl.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    curl.on('error', reject);
    curl.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl exited ${code}`))));
  });
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]!;

describe('a big import while the console is polled', () => {
  lab = useLab({ nodes: 2, sip: false });

  beforeAll(async () => {
    await ensureBuild(REPO_ROOT, (l) => console.log(l));
    const port = await freePort();
    delete process.env.NODE_OPTIONS;
    child = await startConsole({
      configPath: lab().state.configPath,
      port,
      logFile: join(lab().dir, 'console.log'),
    });
    url = `http://127.0.0.1:${port}`;
    process.env.SIPHA_CONFIG = lab().state.configPath;
    const { createToken } = await import('@/lib/auth/tokens');
    token = (await createToken({ name: 'it-import-health', role: 'operator', createdBy: 'test' })).token;
  }, 900_000);

  afterAll(async () => {
    if (child) stopConsole(child);
    const { getConnectionList } = await import('@/lib/db');
    await (await getConnectionList()).close();
    delete (globalThis as { __siphaList?: unknown }).__siphaList;
  });

  it('health answers within 200 ms at p99 and no node is marked down', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const file = join(lab().dir, 'import.csv');
    writeCsv(file);
    // Two callers of /api/health, each back to back (5 ms apart), as two monitors would poll:
    // the import's few seconds give a few hundred samples (one caller got 185-198 on a fast
    // machine, too few for a p99 that leaves out more than the slowest).
    const poll = async (into: number[], stop: () => boolean) => {
      while (!stop()) {
        const t0 = performance.now();
        await (await fetch(`${url}/api/health`)).text();
        into.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    // The same polling for 5 s without an import first, only reported: it tells a failure on a
    // busy machine from one of the import.
    const baseline: number[] = [];
    const quiet = performance.now() + 5000;
    await poll(baseline, () => performance.now() > quiet);
    let done = false;
    const health: number[] = [];
    const downSeen: string[] = [];
    const pollHealth = Promise.all([poll(health, () => done), poll(health, () => done)]);
    const pollNodes = (async () => {
      while (!done) {
        const res = await fetch(`${url}/api/status`, { headers: auth });
        const o = (await res.json()) as { nodes?: { name: string; reachable: boolean | null }[] };
        if (!res.ok) downSeen.push(`status ${res.status}: ${JSON.stringify(o)}`);
        for (const n of o.nodes ?? []) if (n.reachable === false) downSeen.push(n.name);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const lines = (await upload(file)).trim().split('\n');
    done = true;
    await Promise.all([pollHealth, pollNodes]);
    const last = JSON.parse(lines.at(-1)!) as { type: string; lines: number; inserted: number };
    expect(last, lines.at(-1)).toMatchObject({ type: 'done', lines: LINES, inserted: LINES / 100 });
    const measured = `health p99: ${p99(health).toFixed(1)} ms over ${health.length} samples during the import, ${p99(baseline).toFixed(1)} ms over ${baseline.length} before`;
    console.log(measured);
    // At least 200 samples, so the p99 is not simply the slowest one: it leaves out two.
    expect(health.length, measured).toBeGreaterThanOrEqual(200);
    expect(p99(health), measured).toBeLessThan(200);
    expect(downSeen).toEqual([]);
    const audit = await adminQuery(
      lab().dir,
      'd1',
      "SELECT outcome FROM kamailio.sipha_audit WHERE action = 'user.import' AND actor = 'token:it-import-health'",
    );
    expect(audit).toEqual([{ outcome: 'ok' }]);
  }, 300_000);

  it('a file past 10 MB arrives whole; one past the limit, or of unknown length, is refused and imports nothing', async () => {
    const post = (body: BodyInit, extra: RequestInit = {}) =>
      fetch(`${url}/api/v1/users/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body,
        ...extra,
      });
    const users = async (like: string) =>
      Number(
        (
          await adminQuery<{ n: number }>(
            lab().dir,
            'd1',
            'SELECT COUNT(*) AS n FROM kamailio.subscriber WHERE username LIKE ?',
            [like],
          )
        )[0]?.n,
      );
    // 12.8 MB of one-field lines, then one user at the very end: with Next's default 10 MB
    // buffer for a request through the proxy, this line was never read, and the import said done.
    const filler = `${'x'.repeat(127)}\n`.repeat(100_000);
    const whole = await post(`${filler}tail-user,tail-password-1\n`);
    const done = JSON.parse((await whole.text()).trim().split('\n').at(-1)!);
    expect(done).toMatchObject({ type: 'done', lines: 100_001, inserted: 1, invalid: 100_000 });
    expect(await users('tail-user')).toBe(1);

    // Past the limit: refused before a byte is read.
    const big = Buffer.alloc(IMPORT_MAX_BYTES + 1024 * 1024, 'bigger-user,bigger-password\n');
    const refused = await post(big);
    expect(refused.status).toBe(400);
    const e = (await refused.json()) as { error: { code: string; message: string } };
    expect(e.error.code).toBe('bad_request:input');
    expect(e.error.message).toContain(`at most ${importLimitWords()}`);
    expect(e.error.message).toContain('nothing was imported');
    // A chunked upload: its length is unknown, so it could be cut short unseen.
    const chunked = await post(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('chunked-user,chunked-password\n'));
          c.close();
        },
      }),
      { duplex: 'half' } as RequestInit,
    );
    expect(chunked.status).toBe(400);
    expect(((await chunked.json()) as { error: { message: string } }).error.message).toContain(
      'Content-Length',
    );
    expect(await users('bigger-user%')).toBe(0);
    expect(await users('chunked-user')).toBe(0);
  }, 180_000);
});
