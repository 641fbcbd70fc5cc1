// Sends one DNS message to a server (host and port, so a lab server on a high port works) and
// returns the raw answer: UDP with retransmission, TCP when the answer is truncated.
import dgram from 'node:dgram';
import net, { isIPv6 } from 'node:net';

export interface DnsServer {
  host: string;
  port: number;
}

export function exchangeUdp(server: DnsServer, wire: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    const id = wire.readUInt16BE(0);
    let resend: NodeJS.Timeout | undefined;
    const done = (err: Error | null, buf?: Buffer) => {
      clearTimeout(deadline);
      clearTimeout(resend);
      sock.removeAllListeners();
      sock.on('error', () => {});
      sock.close();
      if (err) reject(err);
      else resolve(buf!);
    };
    const deadline = setTimeout(
      () => done(new Error(`no answer from ${server.host}:${server.port}`)),
      timeoutMs,
    );
    sock.on('error', (e) => done(e));
    sock.on('message', (buf) => {
      if (buf.length >= 12 && buf.readUInt16BE(0) === id) done(null, buf);
    });
    const send = (wait: number) => {
      sock.send(wire, server.port, server.host, (e) => e && done(e));
      resend = setTimeout(() => send(wait * 2), wait);
    };
    send(Math.max(100, Math.floor(timeoutMs / 4)));
  });
}

export function exchangeTcp(server: DnsServer, wire: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: server.host, port: server.port });
    let got = Buffer.alloc(0);
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no answer from ${server.host}:${server.port}`)));
    sock.on('error', reject);
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(wire.length);
      sock.write(Buffer.concat([len, wire]));
    });
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        sock.end();
        resolve(got.subarray(2, 2 + got.readUInt16BE(0)));
      }
    });
  });
}

export async function exchange(server: DnsServer, wire: Buffer, timeoutMs = 1500): Promise<Buffer> {
  const answer = await exchangeUdp(server, wire, timeoutMs);
  // TC bit: the answer did not fit in a datagram; ask again over TCP (RFC 1035 §4.2.1).
  return answer.readUInt16BE(2) & 0x0200 ? exchangeTcp(server, wire, timeoutMs) : answer;
}
