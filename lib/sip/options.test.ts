import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSipMessage, topViaBranch } from './message';
import { probeOptions } from './options';

// Fake peers that replay recorded Kamailio replies with the probe's branch patched in, so the
// probe's matching, retransmission and framing are tested without a real server.

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');
const withBranch = (text: string, branch: string) =>
  text.replace(/branch=z9hG4bK[^;\r\n,]+/, `branch=${branch}`);
const OK = fixture('kamailio-200-ok.sip');
const TRYING = OK.replace('200 OK', '100 Trying');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function udpPeer(
  onRequest: (args: { text: string; branch: string; reply: (s: string) => void; n: number }) => void,
) {
  const sock = dgram.createSocket('udp4');
  cleanups.push(() => sock.close());
  let n = 0;
  sock.on('message', (data, rinfo) => {
    const text = data.toString('latin1');
    const branch = topViaBranch({ message: parseSipMessage(text)! })!;
    n += 1;
    onRequest({
      text,
      branch,
      n,
      reply: (s) => sock.send(Buffer.from(s, 'latin1'), rinfo.port, rinfo.address),
    });
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return { port: (sock.address() as AddressInfo).port, count: () => n };
}

async function tcpPeer(onRequest: (args: { branch: string; socket: net.Socket }) => void) {
  const server = net.createServer((socket) => {
    cleanups.push(() => socket.destroy());
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n\r\n'))
        onRequest({ branch: topViaBranch({ message: parseSipMessage(buf)! })!, socket });
    });
  });
  cleanups.push(() => server.close());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('probeOptions over UDP', () => {
  it('ignores strays, foreign branches and 1xx, then reports the final reply', async () => {
    const { port } = await udpPeer(({ text, branch, reply }) => {
      expect(text.startsWith(`OPTIONS sip:127.0.0.1:`)).toBe(true);
      reply('garbage');
      reply(fixture('other-branch-200.sip'));
      reply(withBranch(TRYING, branch));
      setTimeout(() => reply(withBranch(fixture('kamailio-404.sip'), branch)), 20);
    });
    const r = await probeOptions({ host: '127.0.0.1', port, transport: 'udp' });
    expect(r).toMatchObject({
      ok: true,
      status: 404,
      reason: 'Not Found',
      server: 'kamailio (5.6.3 (x86_64/linux))',
    });
  });

  it('retransmits at T1 and answers to a later copy', async () => {
    const peer = await udpPeer(({ branch, reply, n }) => {
      if (n === 2) reply(withBranch(OK, branch)); // drop the first datagram
    });
    const r = await probeOptions({ host: '127.0.0.1', port: peer.port, transport: 'udp', timeoutMs: 1200 });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(r.rttMs).toBeGreaterThanOrEqual(450);
  });

  it('times out when nobody answers, after T1 and 2*T1 retransmissions', async () => {
    const peer = await udpPeer(() => {});
    const r = await probeOptions({ host: '127.0.0.1', port: peer.port, transport: 'udp', timeoutMs: 1700 });
    expect(r).toEqual({ ok: false, error: 'timeout' });
    expect(peer.count()).toBe(3); // 0, 500, 1500 ms
  });

  it('reports refused for a closed port well before the timeout', async () => {
    const peer = await udpPeer(() => {});
    for (const c of cleanups.splice(0)) c(); // free the port again
    // A timeout beyond the test's own: the answer can only come from the port being closed.
    const r = await probeOptions({ host: '127.0.0.1', port: peer.port, transport: 'udp', timeoutMs: 60_000 });
    expect(r).toEqual({ ok: false, error: 'refused' });
  });

  it('never throws for bad input or names', async () => {
    expect(await probeOptions({ host: '', port: 5060, transport: 'udp' })).toMatchObject({ ok: false });
    expect(await probeOptions({ host: 'x', port: 70000, transport: 'tcp' })).toMatchObject({ ok: false });
    const r = await probeOptions({
      host: 'no-such-host.invalid',
      port: 5060,
      transport: 'udp',
      timeoutMs: 2000,
    });
    expect(r.ok).toBe(false);
    expect(r.error).toBeTruthy();
  });
});

describe('probeOptions over TCP', () => {
  it('reads a reply split across writes, after a 100 Trying in the same chunk', async () => {
    const port = await tcpPeer(({ branch, socket }) => {
      const final = withBranch(OK, branch);
      socket.write(withBranch(TRYING, branch) + final.slice(0, 40));
      setTimeout(() => socket.write(final.slice(40)), 30);
    });
    const r = await probeOptions({ host: '127.0.0.1', port, transport: 'tcp' });
    expect(r).toMatchObject({ ok: true, status: 200, server: 'kamailio (5.6.3 (x86_64/linux))' });
  });

  it('skips a reply for another branch on the same connection', async () => {
    const port = await tcpPeer(({ branch, socket }) => {
      socket.write(fixture('other-branch-200.sip') + withBranch(fixture('kamailio-483.sip'), branch));
    });
    expect(await probeOptions({ host: '127.0.0.1', port, transport: 'tcp' })).toMatchObject({
      ok: true,
      status: 483,
    });
  });

  it('is bounded by the timeout when the peer accepts and never answers', async () => {
    const port = await tcpPeer(() => {});
    // Without the bound the probe would wait forever: an answer at all is the timeout's doing.
    const r = await probeOptions({ host: '127.0.0.1', port, transport: 'tcp', timeoutMs: 300 });
    expect(r).toEqual({ ok: false, error: 'timeout' });
  });

  it('reports a peer that hangs up without answering', async () => {
    const port = await tcpPeer(({ socket }) => socket.end());
    expect(await probeOptions({ host: '127.0.0.1', port, transport: 'tcp' })).toEqual({
      ok: false,
      error: 'connection closed',
    });
  });
});
