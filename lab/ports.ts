import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** Binds TCP port 0 so the kernel picks an unused port; never 3306 (the system MariaDB). */
function tcpPort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    sock.once('error', () => {
      sock.close();
      resolve(false);
    });
    sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
  });
}

/** A port free on both TCP and UDP (SIP listens on both with the same number). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await tcpPort();
    if (p !== 3306 && (await udpFree(p))) return p;
  }
  throw new Error('no free port found');
}

/** True when nothing listens on the TCP port (used to prefer 3000 for the console). */
export async function tcpPortFree(port: number): Promise<boolean> {
  try {
    await tcpPort(port);
    return true;
  } catch {
    return false;
  }
}
