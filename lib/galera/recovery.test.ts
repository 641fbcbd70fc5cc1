import { describe, expect, it } from 'vitest';
import { decideBootstrap, type Evidence, parseGrastate, parseRecovered } from './recovery';

const U = 'e41097ba-ec2a-11f1-a751-6b4ebe956bea';
const gra = (seqno: number, safe = 0, uuid = U) =>
  `# GALERA saved state\nversion: 2.1\nuuid:    ${uuid}\nseqno:   ${seqno}\nsafe_to_bootstrap: ${safe}\n`;
const ev = (node: string, seqno: number, recovered?: number, safe = 0, uuid = U): Evidence => ({
  node,
  grastate: parseGrastate(gra(seqno, safe, uuid)),
  recovered: recovered === undefined ? null : { uuid, seqno: recovered },
});

describe('full-outage recovery decision', () => {
  it('parses grastate.dat and the --wsrep-recover line', () => {
    expect(parseGrastate(gra(-1))).toEqual({ uuid: U, seqno: -1, safeToBootstrap: false });
    expect(parseRecovered(`2026-11-29 19:28:45 0 [Note] WSREP: Recovered position: ${U}:36\n`)).toEqual({
      uuid: U,
      seqno: 36,
    });
    expect(parseGrastate('garbage')).toBeNull();
  });
  it('picks the most advanced node after a crash, marking it safe', () => {
    const d = decideBootstrap([ev('d1', -1, 40), ev('d2', -1, 42), ev('d3', -1, 41)]);
    expect(d).toMatchObject({ ok: true, node: 'd2', seqno: 42, markSafe: true });
  });
  it('prefers the node Galera marked safe after a clean shutdown, and breaks ties by list order', () => {
    expect(decideBootstrap([ev('d1', 50), ev('d2', 50, undefined, 1)])).toMatchObject({
      node: 'd2',
      markSafe: false,
    });
    expect(decideBootstrap([ev('d1', 50), ev('d2', 50)])).toMatchObject({ node: 'd1', markSafe: true });
  });
  it('refuses when a position is unknown, histories differ, or safe_to_bootstrap contradicts seqno', () => {
    expect(decideBootstrap([ev('d1', -1, 40), ev('d2', -1)])).toMatchObject({ ok: false });
    const other = 'aaaaaaaa-ec2a-11f1-a751-6b4ebe956bea';
    expect(decideBootstrap([ev('d1', 10), ev('d2', 10, undefined, 0, other)])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/different cluster histories/),
    });
    expect(decideBootstrap([ev('d1', 10, undefined, 1), ev('d2', 12)])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/contradicts/),
    });
  });
});
