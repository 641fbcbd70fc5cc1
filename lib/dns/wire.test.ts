import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse';
import { sign, verifyAnswer } from './tsig';
import { CLASS, encodeMessage, TYPE } from './wire';

const srv = { priority: 0, weight: 40, port: 5060, target: 'p1.lab.sipha.test' };
const naptr = {
  order: 10,
  preference: 50,
  flags: 's',
  service: 'SIP+D2U',
  regexp: '',
  replacement: '_sip._udp.lab.sipha.test',
};

describe('DNS wire format', () => {
  it('reads back SRV, NAPTR, A and TXT records it wrote', () => {
    const wire = encodeMessage({
      id: 4711,
      flags: 0x8400,
      questions: [{ name: '_sip._udp.lab.sipha.test', type: TYPE.SRV, class: CLASS.IN }],
      answers: [
        { name: '_sip._udp.lab.sipha.test', type: TYPE.SRV, class: 1, ttl: 5, data: srv },
        { name: 'lab.sipha.test', type: TYPE.NAPTR, class: 1, ttl: 7, data: naptr },
        { name: 'p1.lab.sipha.test', type: TYPE.A, class: 1, ttl: 9, data: '127.0.0.1' },
        { name: 'x.lab.sipha.test', type: TYPE.TXT, class: 1, ttl: 9, data: ['a b', 'c'] },
      ],
      authorities: [],
      additionals: [],
    });
    const m = parseMessage(wire);
    expect(m.id).toBe(4711);
    expect(m.answers.map((a) => a.data)).toEqual([srv, naptr, '127.0.0.1', ['a b', 'c']]);
    expect(m.answers.map((a) => a.ttl)).toEqual([5, 7, 9, 9]);
  });

  it('follows compression pointers and refuses a pointer loop', () => {
    // header, question "a.b" at 12, answer whose name is a pointer to offset 12
    const q = Buffer.from([1, 97, 1, 98, 0, 0, 1, 0, 1]);
    const ans = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]);
    const head = Buffer.from([0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
    expect(parseMessage(Buffer.concat([head, q, ans])).answers[0]).toMatchObject({
      name: 'a.b',
      data: '10.0.0.1',
    });
    const loop = Buffer.concat([head, Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    expect(() => parseMessage(loop)).toThrow(/loop/);
  });
});

describe('TSIG (HMAC-SHA256)', () => {
  const key = { name: 'sipha-lab', secret: Buffer.alloc(32, 7).toString('base64') };
  const unsigned = encodeMessage({
    id: 99,
    flags: 5 << 11,
    questions: [{ name: 'lab.sipha.test', type: TYPE.SOA, class: CLASS.IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });

  it('appends one TSIG record and counts it in ARCOUNT', () => {
    const { wire, mac } = sign(unsigned, key, 1_700_000_000_000);
    const m = parseMessage(wire);
    expect(m.additionals).toHaveLength(1);
    expect(m.additionals[0]).toMatchObject({ name: 'sipha-lab', type: TYPE.TSIG, class: CLASS.ANY });
    expect(mac).toHaveLength(32);
    expect(wire.subarray(0, unsigned.length).subarray(12)).toEqual(unsigned.subarray(12));
  });

  it('says when an answer is unsigned', () => {
    const { mac } = sign(unsigned, key);
    expect(verifyAnswer(unsigned, mac, key)).toMatch(/did not sign/);
  });
});
