import 'server-only';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { buildOptions, isReplyTo, parseSipMessage, randomToken } from './message';
import { errorWords, once, type ProbeResult, type ProbeTarget, resultFromReply } from './probe-common';

// RFC 3261 §17.1.2.2: non-INVITE retransmits start at T1 and double up to T2; after a
// provisional reply they continue at T2.
const T1 = 500;
const T2 = 4000;

export function probeUdp(t: ProbeTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(isIPv6(t.host) ? 'udp6' : 'udp4');
    let retransmit: NodeJS.Timeout | undefined;
    let closed = false;
    const finish = once({
      resolve,
      cleanup: () => {
        closed = true;
        clearTimeout(deadline);
        clearTimeout(retransmit);
        socket.removeAllListeners();
        // An ICMP error can still be queued after we are done; swallow it rather than crash.
        socket.on('error', () => {});
        socket.close();
      },
    });
    const fail = (error: unknown) => finish({ ok: false, error: errorWords({ error }) });
    const deadline = setTimeout(() => finish({ ok: false, error: 'timeout' }), t.timeoutMs);
    // On a connected socket Linux reports ICMP port-unreachable as ECONNREFUSED here,
    // which lets a dead server show as 'refused' at once instead of waiting for the timeout.
    socket.on('error', fail);

    const branch = `z9hG4bK${randomToken({ bytes: 10 })}`;
    let startedAt = 0;
    let interval = T1;
    let wire: Buffer | undefined;

    const send = () => {
      if (!wire || closed) return;
      socket.send(wire, (err) => {
        if (err) fail(err);
      });
      retransmit = setTimeout(send, interval);
      interval = Math.min(interval * 2, T2);
    };

    socket.on('message', (data) => {
      const message = parseSipMessage(data);
      // Stray datagrams, other transactions' replies and requests from the peer are not ours.
      if (!message || !isReplyTo({ message, branch, method: t.request?.method })) return;
      if ((message.statusCode ?? 0) < 200) {
        interval = T2;
        return;
      }
      finish(resultFromReply({ message, startedAt }));
    });

    // The deadline may fire while bind or the DNS lookup inside connect is pending; a closed
    // socket throws on further calls, so every callback checks `closed` first.
    socket.bind({ port: 0, address: t.localHost }, () => {
      if (closed) return;
      socket.connect(t.port, t.host, (err?: Error) => {
        if (closed) return;
        if (err) return fail(err);
        let local: ReturnType<typeof socket.address>;
        try {
          local = socket.address();
        } catch (e) {
          return fail(e);
        }
        const localHost = t.localHost ?? local.address;
        wire = Buffer.from(
          t.request
            ? t.request.build({ localHost, localPort: local.port, branch })
            : buildOptions({
                host: t.host,
                port: t.port,
                transport: 'udp',
                localHost,
                localPort: local.port,
                branch,
                tag: randomToken(),
                callId: `${randomToken({ bytes: 12 })}@sipha`,
              }),
        );
        startedAt = performance.now();
        send();
      });
    });
  });
}
