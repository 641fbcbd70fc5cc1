import { describe, expect, it } from 'vitest';
import { sipService } from './sip-words';
import type { NodeStatus, RegisterProbeStatus, SipDbStatus, SipStatus } from './types';

const sip: SipStatus = {
  name: 'p1',
  host: '127.0.0.1',
  node: 'd1',
  serverId: 1,
  udpPort: 5060,
  udp: { ok: true, status: 200, reason: 'OK', rttMs: 1 },
  tcp: null,
  up: true,
  checkedAt: 'now',
};
const node = (name: string, reachable: boolean, role: NodeStatus['role'] = 'standby'): NodeStatus =>
  ({ name, reachable, role }) as NodeStatus;
const db = (using: string | null, extra: Partial<SipDbStatus> = {}): SipDbStatus => ({
  server: 'p1',
  policy: 'co-located',
  order: ['d1', 'd2'],
  using,
  inactive: [],
  twoWriters: null,
  error: null,
  fix: null,
  checkedAt: 'now',
  ...extra,
});
const reg = (r: Partial<RegisterProbeStatus>): RegisterProbeStatus => ({
  ok: false,
  step: 'register',
  elapsedMs: 2100,
  domain: 'd.test',
  checkedAt: 'now',
  ...r,
});

describe('a SIP server in words', () => {
  it('says a server that answers OPTIONS cannot register, and why', () => {
    const s = sipService({
      sip,
      register: reg({ status: 500, reason: 'Server Error: user database' }),
      db: db('d1'),
      nodes: [node('d1', false, 'down'), node('d2', true, 'active')],
    });
    expect(s.health).toBe('down');
    expect(s.label).toBe('cannot register');
    expect(s.words).toBe(
      'p1 answers OPTIONS but cannot register: REGISTER got 500 Server Error: user database after 2.1 s; its database d1 does not answer',
    );
  });
  it('says a REGISTER that got no answer, with the bound', () => {
    const s = sipService({
      sip,
      register: reg({ error: 'timeout', elapsedMs: 3000 }),
      db: db('d1'),
      nodes: [],
    });
    expect(s.words).toContain('REGISTER got no answer within 3.0 s');
  });
  it('says it switched to d2 once REGISTERs work again', () => {
    const s = sipService({
      sip,
      register: reg({ ok: true, status: 200, elapsedMs: 12 }),
      db: db('d2', { inactive: [{ node: 'd1', secondsLeft: 20, byConsole: false }] }),
      nodes: [node('d1', false, 'down'), node('d2', true, 'active')],
    });
    expect(s.health).toBe('warn');
    expect(s.words).toBe(
      'p1 answers OPTIONS and registers (REGISTER 200 in 12 ms); it uses d2 now (switched from d1)',
    );
  });
  it('shows a server that writes to a fenced node as an error', () => {
    const s = sipService({
      sip,
      register: reg({ ok: true, status: 200, elapsedMs: 5 }),
      db: db('d1', { error: 'p1 still writes to d1, which is fenced.' }),
      nodes: [node('d1', true, 'fenced')],
    });
    expect(s.health).toBe('down');
    expect(s.words).toMatch(/still writes to d1, which is fenced/);
  });
  it('shows a two-writer window its db_cluster opened as a warning to verify, with the reason', () => {
    const s = sipService({
      sip,
      register: reg({ ok: true, status: 200, elapsedMs: 5 }),
      db: db('d2', { twoWriters: 'd1', error: 'p1 writes to d2 while d1 is up and not fenced: …' }),
      nodes: [node('d1', true, 'active'), node('d2', true)],
    });
    expect(s.health).toBe('warn');
    expect(s.label).toBe('two writers: verify');
    expect(s.words).toMatch(/it uses d2 now \(switched from d1\)\. p1 writes to d2 while d1 is up/);
  });
  it('says a server that does not answer OPTIONS is down', () => {
    const down = { ...sip, up: false, udp: { ok: false, error: 'refused' } };
    expect(sipService({ sip: down, register: null, db: db(null), nodes: [] }).words).toBe(
      'p1 does not answer OPTIONS (refused)',
    );
  });
});
