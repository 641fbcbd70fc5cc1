import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kamailioRpc, kamailioStats, RpcError } from './jsonrpc';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Per-method behaviour of the fake Kamailio; tests swap entries to simulate failures.
// `together`: answer only once that many calls have arrived (proves the calls run in parallel).
type Reply = { status?: number; body?: string; hang?: boolean; together?: number };
let replies: Record<string, Reply> = {};
const defaults = (): Record<string, Reply> => ({
  'core.version': { body: fixture('rpc-core.version.json') },
  'core.uptime': { body: fixture('rpc-core.uptime.json') },
  'core.shmmem': { body: fixture('rpc-core.shmmem.json') },
  'tm.stats': { body: fixture('rpc-tm.stats.json') },
});
const seen: unknown[] = [];
const held: { answer: () => void; together: number }[] = [];

/** A port nobody listens on: bind, note it, close. */
async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      const call = JSON.parse(data) as { method: string };
      seen.push(call);
      const r = replies[call.method] ?? { status: 500, body: fixture('rpc-error-method-not-found.json') };
      if (r.hang) return; // never answer: the client's timeout must cut it off
      const answer = () => {
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(r.body ?? '');
      };
      held.push({ answer, together: r.together ?? 0 });
      for (const h of held.filter((x) => seen.length >= x.together)) {
        held.splice(held.indexOf(h), 1);
        h.answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('kamailioRpc', () => {
  it('sends JSON-RPC 2.0 and returns the result', async () => {
    replies = defaults();
    seen.length = 0;
    const result = await kamailioRpc({ url, method: 'core.uptime', params: [] });
    expect(result).toEqual({
      now: 'Wed Nov 25 01:29:29 2026',
      up_since: 'Wed Nov 25 01:29:20 2026',
      uptime: 9,
    });
    expect(seen[0]).toMatchObject({ jsonrpc: '2.0', method: 'core.uptime', params: [] });
    expect(typeof (seen[0] as { id: unknown }).id).toBe('number');
  });

  it('turns a Kamailio error body (HTTP 500) into an RpcError with its message', async () => {
    const err = await kamailioRpc({ url, method: 'no.such' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ kind: 'rpc', code: 500, message: 'Method Not Found' });
  });

  it('reports HTTP errors without a JSON body, garbage, timeouts and refused connections', async () => {
    replies = { a: { status: 404, body: 'Not Found' }, b: { body: '<html>' }, c: { hang: true } };
    await expect(kamailioRpc({ url, method: 'a' })).rejects.toMatchObject({
      kind: 'http',
      message: 'HTTP 404',
    });
    await expect(kamailioRpc({ url, method: 'b' })).rejects.toMatchObject({ kind: 'bad-response' });
    await expect(kamailioRpc({ url, method: 'c', timeoutMs: 150 })).rejects.toMatchObject({
      kind: 'timeout',
      message: 'timeout',
    });
    const closed = await freePort();
    await expect(kamailioRpc({ url: `http://127.0.0.1:${closed}/RPC`, method: 'x' })).rejects.toMatchObject({
      kind: 'network',
      message: 'refused',
    });
  });
});

describe('kamailioStats', () => {
  it('maps recorded Kamailio 5.6 results to the summary', async () => {
    replies = defaults();
    const stats = await kamailioStats({ url });
    expect(stats).toEqual({
      version: 'kamailio 5.6.3 (x86_64/linux)',
      uptimeSeconds: 9,
      shm: { totalBytes: 67108864, usedBytes: 2733736, freeBytes: 64375128, usedPct: 4.1 },
      tm: {
        current: 0,
        waiting: 0,
        total: 0,
        totalLocal: 0,
        repliesReceived: 0,
        repliesGenerated: 0,
        repliesSent: 0,
        replied2xx: 0,
        replied3xx: 0,
        replied4xx: 0,
        replied5xx: 0,
        replied6xx: 0,
      },
      errors: [],
    });
  });

  it('maps busy tm counters', async () => {
    replies = { ...defaults(), 'tm.stats': { body: fixture('rpc-tm.stats-busy.json') } };
    const { tm } = await kamailioStats({ url });
    expect(tm).toMatchObject({ current: 12, waiting: 3, total: 48211, replied5xx: 142, replied6xx: 7 });
  });

  it('keeps the other fields when one call fails or hangs', async () => {
    replies = defaults();
    delete replies['tm.stats'];
    replies['core.shmmem'] = { hang: true };
    replies['core.uptime'] = { body: '{"jsonrpc":"2.0","result":"weird","id":1}', together: 4 };
    replies['core.version'] = { ...replies['core.version'], together: 4 };
    seen.length = 0;
    // The server answers only once all four calls are in: run one after another, the first
    // would time out. In parallel one hung call costs one timeout, not four.
    const stats = await kamailioStats({ url, timeoutMs: 200 });
    expect(seen).toHaveLength(4);
    expect(stats.version).toBe('kamailio 5.6.3 (x86_64/linux)');
    expect(stats.uptimeSeconds).toBeNull();
    expect(stats.shm).toBeNull();
    expect(stats.tm).toBeNull();
    expect(stats.errors).toEqual([
      'core.uptime: unexpected reply',
      'core.shmmem: timeout',
      'tm.stats: Method Not Found',
    ]);
  });
});
