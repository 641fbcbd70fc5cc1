// REGISTER round trips timed to the microsecond, for comparing paths (the first stage against a
// SIP server directly). sipp's own response times are not fine enough for that: its clock moves
// with its event loop, in steps of 4 ms on the lab's machines, so a 1 ms difference disappears.
// One UDP socket; each REGISTER is challenged, answered with digest credentials and timed from
// the first send to the 200.
import { createSocket, type Socket } from 'node:dgram';
import { authorization, parseChallenge } from '../../lib/sip/digest.ts';
import {
  buildRegister,
  getHeader,
  parseSipMessage,
  randomToken,
  type SipMessage,
} from '../../lib/sip/message.ts';

export interface RttTarget {
  host: string;
  port: number;
}

export class RegisterTimer {
  private sock: Socket;
  private waiting = new Map<string, (msg: SipMessage) => void>();

  private constructor(sock: Socket) {
    this.sock = sock;
    sock.on('message', (buf) => {
      const msg = parseSipMessage(buf);
      const key =
        msg && `${getHeader({ message: msg, name: 'call-id' })} ${getHeader({ message: msg, name: 'cseq' })}`;
      const w = key ? this.waiting.get(key) : undefined;
      if (w && msg) {
        this.waiting.delete(key!);
        w(msg);
      }
    });
  }

  static async open(): Promise<RegisterTimer> {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    return new RegisterTimer(sock);
  }

  close(): void {
    this.sock.close();
  }

  private exchange(to: RttTarget, text: string, callId: string, cseq: number, timeoutMs: number) {
    return new Promise<SipMessage | null>((resolve) => {
      const key = `${callId} ${cseq} REGISTER`;
      const t = setTimeout(() => {
        this.waiting.delete(key);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(key, (m) => {
        clearTimeout(t);
        resolve(m);
      });
      this.sock.send(text, to.port, to.host);
    });
  }

  /** Milliseconds from the first REGISTER to the 200, or null when it did not register. */
  async register(
    to: RttTarget,
    user: { username: string; domain: string; ha1: string },
    timeoutMs = 2000,
  ): Promise<number | null> {
    const { port } = this.sock.address();
    const dialog = { tag: randomToken(), callId: `${randomToken({ bytes: 12 })}@rtt` };
    const build = (cseq: number, auth?: string) =>
      buildRegister({
        localHost: '127.0.0.1',
        localPort: port,
        branch: `z9hG4bK${randomToken()}`,
        ...dialog,
        domain: user.domain,
        username: user.username,
        transport: 'udp',
        cseq,
        expires: 600,
        authorization: auth,
      });
    const t0 = performance.now();
    const first = await this.exchange(to, build(1), dialog.callId, 1, timeoutMs);
    const challenge = first && parseChallenge(getHeader({ message: first, name: 'www-authenticate' }));
    if (!challenge) return null;
    const auth = authorization({
      challenge,
      username: user.username,
      ha1: user.ha1,
      method: 'REGISTER',
      uri: `sip:${user.domain}`,
    });
    const second = await this.exchange(to, build(2, auth), dialog.callId, 2, timeoutMs);
    return second?.statusCode === 200 ? performance.now() - t0 : null;
  }
}
