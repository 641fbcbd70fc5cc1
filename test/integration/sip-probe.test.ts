import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, type LabSip, signal, status, up } from '@/lab/index';
import { kamailioStats } from '@/lib/sip/jsonrpc';
import { probeOptions } from '@/lib/sip/options';

// OPTIONS and JSON-RPC against a real Kamailio 5.6 from the lab, then the two ways a proxy
// dies in production: hung (SIGSTOP, socket still open) and gone (SIGKILL, port closed).

const dir = mkdtempSync(join(tmpdir(), 'lab-'));
let p1: LabSip;

beforeAll(async () => {
  const state = await up({ dir, nodes: 2, console: false, fresh: true });
  const found = state.sip.find((s) => s.name === 'p1');
  if (!found) throw new Error('lab has no p1');
  p1 = found;
});

afterAll(async () => {
  // A failed assertion can leave p1 stopped; a stopped process would not die on SIGTERM.
  const p = (await status(dir)).sip.find((s) => s.name === 'p1');
  if (p?.state === 'stopped') await signal(dir, 'p1', 'cont');
  await down(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('healthy Kamailio', () => {
  it.each(['udp', 'tcp'] as const)(
    'answers OPTIONS over %s with 200 and a kamailio Server header',
    async (transport) => {
      const port = transport === 'udp' ? p1.udp : p1.tcp;
      const r = await probeOptions({ host: p1.host, port, transport, timeoutMs: 1000 });
      expect(r).toMatchObject({ ok: true, status: 200, reason: 'OK' });
      expect(r.server).toMatch(/kamailio/i);
      expect(r.rttMs).toBeGreaterThanOrEqual(0);
      expect(r.error).toBeUndefined();
    },
  );

  it('reports version, uptime, memory and transactions over JSON-RPC', async () => {
    const stats = await kamailioStats({ url: p1.rpcUrl, timeoutMs: 1000 });
    expect(stats.errors).toEqual([]);
    expect(stats.version).toContain('5.6');
    expect(stats.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(stats.shm?.totalBytes).toBeGreaterThan(0);
    expect(stats.shm?.usedPct).toBeGreaterThan(0);
    expect(stats.tm?.total).toBeGreaterThanOrEqual(0);
  });
});

describe('hung Kamailio (SIGSTOP)', () => {
  beforeAll(async () => {
    await signal(dir, 'p1', 'stop');
  });

  it.each(['udp', 'tcp'] as const)('times out over %s instead of hanging', async (transport) => {
    const port = transport === 'udp' ? p1.udp : p1.tcp;
    const r = await probeOptions({ host: p1.host, port, transport, timeoutMs: 800 });
    // TCP still connects (the kernel accepts into the backlog), so only the overall bound saves us.
    expect(r).toEqual({ ok: false, error: 'timeout' });
  });

  it('keeps JSON-RPC bounded too', async () => {
    const stats = await kamailioStats({ url: p1.rpcUrl, timeoutMs: 500 });
    expect(stats.version).toBeNull();
    expect(stats.errors).toHaveLength(4);
    expect(stats.errors.every((e) => e.endsWith(': timeout'))).toBe(true);
  });

  it('answers again after SIGCONT', async () => {
    await signal(dir, 'p1', 'cont');
    const r = await probeOptions({ host: p1.host, port: p1.udp, transport: 'udp', timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: true, status: 200 });
  });
});

describe('dead Kamailio (SIGKILL)', () => {
  beforeAll(async () => {
    await signal(dir, 'p1', 'kill');
  });

  it('UDP gives refused (ICMP port unreachable) or at worst timeout', async () => {
    const r = await probeOptions({ host: p1.host, port: p1.udp, transport: 'udp', timeoutMs: 1000 });
    expect(r.ok).toBe(false);
    expect(['refused', 'timeout']).toContain(r.error);
  });

  it('TCP gives refused', async () => {
    const r = await probeOptions({ host: p1.host, port: p1.tcp, transport: 'tcp', timeoutMs: 1000 });
    expect(r).toEqual({ ok: false, error: 'refused' });
  });

  it('JSON-RPC reports refused for every call', async () => {
    const stats = await kamailioStats({ url: p1.rpcUrl, timeoutMs: 1000 });
    expect(stats.errors).toEqual([
      'core.version: refused',
      'core.uptime: refused',
      'core.shmmem: refused',
      'tm.stats: refused',
    ]);
  });
});
