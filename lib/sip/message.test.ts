import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildOptions,
  cseqMethod,
  getHeader,
  isReplyTo,
  parseSipMessage,
  serverName,
  splitFrames,
  topViaBranch,
} from './message';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
// Branches recorded with the Kamailio fixtures, and the one used by the constructed ones.
const KAM_200 = 'z9hG4bK6e2a281ea8aba';
const KAM_404 = 'z9hG4bKeb6e0866352fa';
const KAM_483 = 'z9hG4bK7e27d9f6c7762';
const OURS = 'z9hG4bKsipha0001';

describe('buildOptions', () => {
  const text = buildOptions({
    host: '10.1.2.3',
    port: 5070,
    transport: 'tcp',
    localHost: '10.1.2.1',
    localPort: 40001,
    branch: 'z9hG4bKabc',
    tag: 't1',
    callId: 'c1@sipha',
  });

  it('produces a CRLF-framed request with all mandatory headers', () => {
    expect(text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('OPTIONS sip:10.1.2.3:5070;transport=tcp SIP/2.0');
    expect(lines).toContain('Via: SIP/2.0/TCP 10.1.2.1:40001;branch=z9hG4bKabc;rport');
    expect(lines).toContain('Max-Forwards: 70');
    expect(lines).toContain('From: <sip:sipha@localhost>;tag=t1');
    expect(lines).toContain('To: <sip:10.1.2.3:5070>');
    expect(lines).toContain('Call-ID: c1@sipha');
    expect(lines).toContain('CSeq: 1 OPTIONS');
    expect(lines).toContain('Accept: application/sdp');
    expect(lines).toContain('User-Agent: sipha');
  });

  it('round-trips through the parser as a request', () => {
    const msg = parseSipMessage(text);
    expect(msg?.method).toBe('OPTIONS');
    expect(msg?.statusCode).toBeUndefined();
    expect(topViaBranch({ message: msg! })).toBe('z9hG4bKabc');
  });

  it('brackets IPv6 literals', () => {
    const v6 = buildOptions({
      host: '::1',
      port: 5060,
      transport: 'udp',
      localHost: '::1',
      localPort: 5,
      branch: 'z9hG4bKx',
      tag: 't',
      callId: 'c',
    });
    expect(v6).toContain('OPTIONS sip:[::1]:5060;transport=udp SIP/2.0');
    expect(v6).toContain('Via: SIP/2.0/UDP [::1]:5;branch=z9hG4bKx;rport');
  });
});

describe('recorded Kamailio replies', () => {
  it.each([
    ['kamailio-200-ok.sip', KAM_200, 200, 'OK'],
    ['kamailio-404.sip', KAM_404, 404, 'Not Found'],
    ['kamailio-483.sip', KAM_483, 483, 'Too Many Hops'],
  ])('%s parses and matches its branch', (file, branch, status, reason) => {
    const message = parseSipMessage(fixture(file))!;
    expect(message.statusCode).toBe(status);
    expect(message.reason).toBe(reason);
    expect(serverName({ message })).toBe('kamailio (5.6.3 (x86_64/linux))');
    expect(cseqMethod({ message })).toBe('OPTIONS');
    expect(getHeader({ message, name: 'Call-ID' })).toBe('8e2f6b1d9a7c4e03@sipha');
    expect(isReplyTo({ message, branch })).toBe(true);
    expect(isReplyTo({ message, branch: OURS })).toBe(false);
  });
});

describe('parseSipMessage edge cases', () => {
  it('expands compact headers, unfolds lines and takes the top Via of a list', () => {
    const message = parseSipMessage(fixture('compact-200.sip'))!;
    expect(Object.keys(message.headers)).toEqual(
      expect.arrayContaining(['via', 'from', 'to', 'call-id', 'contact', 'content-length', 'content-type']),
    );
    expect(getHeader({ message, name: 'l' })).toBe('22');
    expect(getHeader({ message, name: 'allow' })).toBe('INVITE, ACK, CANCEL, OPTIONS, BYE');
    expect(message.body).toBe('v=0\r\no=- 0 0 IN IP4 x\r\n');
    // The top Via is the proxy's hop, so this reply is not ours even though our branch is in it.
    expect(topViaBranch({ message })).toBe('z9hG4bKproxyhop1');
    expect(isReplyTo({ message, branch: OURS })).toBe(false);
    expect(serverName({ message })).toBe('Asterisk PBX');
  });

  it('ignores replies for another branch or another method', () => {
    const other = parseSipMessage(fixture('other-branch-200.sip'))!;
    expect(isReplyTo({ message: other, branch: OURS })).toBe(false);
    const register = parseSipMessage(fixture('same-branch-register-200.sip'))!;
    expect(topViaBranch({ message: register })).toBe(OURS);
    expect(isReplyTo({ message: register, branch: OURS })).toBe(false);
  });

  it('rejects malformed input instead of guessing', () => {
    expect(parseSipMessage(fixture('malformed.sip'))).toBeNull();
    expect(parseSipMessage(fixture('malformed-header.sip'))).toBeNull();
    expect(parseSipMessage('')).toBeNull();
    expect(parseSipMessage(Buffer.from([0, 1, 2, 255]))).toBeNull();
  });
});

describe('splitFrames (TCP)', () => {
  it('frames two replies and a keep-alive arriving in one chunk', () => {
    const { frames, rest, error } = splitFrames({ buffer: fixture('tcp-two-replies.sip') });
    expect(error).toBeUndefined();
    expect(rest.length).toBe(0);
    const msgs = frames.map((f) => parseSipMessage(f)!);
    expect(msgs.map((m) => m.statusCode)).toEqual([100, 200]);
    // Content-Length counts bytes; the multi-byte body must come out whole.
    expect(msgs[1]!.body).toBe('ünïcode ok\r\n');
    expect(msgs.every((message) => isReplyTo({ message, branch: OURS }))).toBe(true);
  });

  it('holds a reply split across chunks until it is complete', () => {
    const first = splitFrames({ buffer: fixture('tcp-split-part1.sip') });
    expect(first.frames).toEqual([]);
    const second = splitFrames({ buffer: Buffer.concat([first.rest, fixture('tcp-split-part2.sip')]) });
    expect(second.frames).toHaveLength(1);
    expect(parseSipMessage(second.frames[0]!)?.statusCode).toBe(200);
    expect(second.rest.length).toBe(0);
  });

  it('feeds byte by byte and still finds both messages', () => {
    const all = fixture('tcp-two-replies.sip');
    let pending: Buffer = Buffer.alloc(0);
    const got: number[] = [];
    for (const byte of all) {
      const r = splitFrames({ buffer: Buffer.concat([pending, Buffer.from([byte])]) });
      pending = r.rest;
      for (const f of r.frames) got.push(parseSipMessage(f)!.statusCode!);
    }
    expect(got).toEqual([100, 200]);
  });

  it('waits for a body that has not arrived yet', () => {
    const all = fixture('tcp-two-replies.sip');
    const r = splitFrames({ buffer: all.subarray(0, all.length - 3) });
    expect(r.frames).toHaveLength(1);
    expect(r.rest.length).toBeGreaterThan(0);
  });

  it('gives up on an endless header or a bad Content-Length', () => {
    expect(splitFrames({ buffer: Buffer.alloc(70_000, 0x41) }).error).toBe('header too large');
    const bad = Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 99999999999\r\n\r\n');
    expect(splitFrames({ buffer: bad }).error).toBe('bad Content-Length');
  });
});
