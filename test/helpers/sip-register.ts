import { createSocket } from 'node:dgram';

/** One REGISTER without credentials over UDP; the final status code (401 when a registrar answered). */
export function registerStatus(
  port: number,
  user: string,
  domain: string,
  timeoutMs = 6000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`no final answer to REGISTER for ${user}`));
    }, timeoutMs);
    sock.on('message', (msg) => {
      const code = Number(/^SIP\/2\.0 (\d{3})/.exec(msg.toString())?.[1] ?? 0);
      if (code < 200) return;
      clearTimeout(timer);
      sock.close();
      resolve(code);
    });
    sock.bind(0, '127.0.0.1', () => {
      const lp = sock.address().port;
      const tag = Math.random().toString(36).slice(2);
      const msg = [
        `REGISTER sip:${domain} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${lp};branch=z9hG4bK${tag};rport`,
        'Max-Forwards: 70',
        `From: <sip:${user}@${domain}>;tag=${tag}`,
        `To: <sip:${user}@${domain}>`,
        `Call-ID: ${tag}@it`,
        'CSeq: 1 REGISTER',
        `Contact: <sip:${user}@127.0.0.1:${lp}>`,
        'Expires: 60',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(msg, port, '127.0.0.1');
    });
  });
}
