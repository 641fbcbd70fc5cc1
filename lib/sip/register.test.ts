import { describe, expect, it } from 'vitest';
import { configSchema } from '@/lib/config/schema';
import { digestHashes } from '@/lib/users/hash';
import { buildRegister } from './build';
import { mapConnections } from './dbcl';
import { clusterDefinition, dbOrder } from './dbcl-order';
import { authorization, parseChallenge } from './digest';
import { parseSipMessage } from './message';

// Expected digests computed independently (Python hashlib).
const ha1 = digestHashes({ username: 'sipha-probe', domain: 'd.test', password: 'pw' }).ha1;

describe('digest credentials for the REGISTER probe', () => {
  it('parses a challenge as Kamailio sends it', () => {
    expect(parseChallenge('Digest realm="d.test", nonce="abc", qop="auth"')).toEqual({
      realm: 'd.test',
      nonce: 'abc',
      opaque: undefined,
      qop: 'auth',
      algorithm: undefined,
    });
    expect(parseChallenge('Basic realm="x"')).toBeNull();
    expect(parseChallenge(undefined)).toBeNull();
  });
  it('answers without qop (RFC 2069 form) and with qop=auth', () => {
    expect(ha1).toBe('78999336c940ea3600c5e727efc805fe');
    const plain = authorization({
      challenge: { realm: 'd.test', nonce: 'abc' },
      username: 'sipha-probe',
      ha1,
      method: 'REGISTER',
      uri: 'sip:d.test',
    });
    expect(plain).toContain('response="e43e57121001fb603066a86f09da6378"');
    const withQop = authorization({
      challenge: { realm: 'd.test', nonce: 'abc', qop: 'auth' },
      username: 'sipha-probe',
      ha1,
      method: 'REGISTER',
      uri: 'sip:d.test',
    });
    const cnonce = /cnonce="([0-9a-f]+)"/.exec(withQop)?.[1];
    expect(withQop).toMatch(/qop=auth, nc=00000001/);
    expect(cnonce).toHaveLength(16);
  });
});

describe('the probe’s REGISTER', () => {
  const base = {
    domain: 'd.test',
    username: 'sipha-probe',
    transport: 'udp' as const,
    localHost: '127.0.0.1',
    localPort: 40000,
    branch: 'z9hG4bKx',
    tag: 't',
    callId: 'c@sipha',
    cseq: 2,
    expires: 30,
  };
  it('is a parseable REGISTER with a short expiry and the credentials', () => {
    const m = parseSipMessage(buildRegister({ ...base, authorization: 'Digest username="sipha-probe"' }))!;
    expect(m.method).toBe('REGISTER');
    expect(m.headers.cseq).toEqual(['2 REGISTER']);
    expect(m.headers.expires).toEqual(['30']);
    expect(m.headers.contact).toEqual(['<sip:sipha-probe@127.0.0.1:40000;transport=udp>']);
    expect(m.headers.authorization).toEqual(['Digest username="sipha-probe"']);
  });
  it('removes every binding with Contact: * and Expires: 0', () => {
    const m = parseSipMessage(buildRegister({ ...base, removeAll: true }))!;
    expect(m.headers.contact).toEqual(['*']);
    expect(m.headers.expires).toEqual(['0']);
  });
});

describe('db_cluster', () => {
  it('orders nodes by policy', () => {
    const nodes = ['d1', 'd2', 'd3'];
    expect(dbOrder({ policy: 'co-located', nodes, own: 'd2' })).toEqual(['d2', 'd1', 'd3']);
    expect(dbOrder({ policy: 'single-writer', nodes, own: 'd2' })).toEqual(['d1', 'd2', 'd3']);
    expect(clusterDefinition(['d2', 'd1'])).toBe('d2=9s9s;d1=8s8s');
    expect(() => clusterDefinition([])).toThrow();
  });
  it('drops the URL (it holds the database password) from list_connections', () => {
    const raw = [
      { connection: 'd2', url: 'mysql://k:secret@h/k', flags: 1, state: 'active', ticks: 0, ref: 2 },
      { connection: 'd1', url: 'mysql://k:secret@h/k', flags: 1, state: 'disabled', ticks: 17, ref: 2 },
    ];
    const mapped = mapConnections(raw);
    expect(mapped).toEqual([
      { node: 'd2', state: 'active', secondsLeft: 0 },
      { node: 'd1', state: 'disabled', secondsLeft: 17 },
    ]);
    expect(JSON.stringify(mapped)).not.toContain('secret');
  });
});

describe('dbCluster in the configuration', () => {
  const cfg = {
    nodes: [{ name: 'd1', host: 'h', user: 'u' }],
    domains: ['d.test'],
  };
  it('is optional, defaults to co-located, and refuses an unknown policy', () => {
    expect(configSchema.parse(cfg).dbCluster).toBeUndefined();
    expect(configSchema.parse({ ...cfg, dbCluster: {} }).dbCluster).toEqual({
      policy: 'co-located',
      cluster: 'sipha',
    });
    const bad = configSchema.safeParse({ ...cfg, dbCluster: { policy: 'both' } });
    expect(bad.success).toBe(false);
  });
});
