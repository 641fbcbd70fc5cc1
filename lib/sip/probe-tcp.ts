import 'server-only';
import net from 'node:net';
import { splitFrames } from './framing';
import { buildOptions, isReplyTo, parseSipMessage, randomToken } from './message';
import { errorWords, once, type ProbeResult, type ProbeTarget, resultFromReply } from './probe-common';

export function probeTcp(t: ProbeTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const branch = `z9hG4bK${randomToken({ bytes: 10 })}`;
    let startedAt = 0;
    let pending: Buffer = Buffer.alloc(0);

    const socket = net.connect({ host: t.host, port: t.port, localAddress: t.localHost });
    const finish = once({
      resolve,
      cleanup: () => {
        clearTimeout(deadline);
        socket.removeAllListeners();
        socket.on('error', () => {});
        // destroy(), not end(): a hung peer would never complete a graceful close.
        socket.destroy();
      },
    });
    const fail = (error: unknown) => finish({ ok: false, error: errorWords({ error }) });
    // One deadline covers DNS, connect, send and read, so a peer that accepts and then
    // says nothing (SIGSTOPped, backlog only) cannot stall the caller.
    const deadline = setTimeout(() => finish({ ok: false, error: 'timeout' }), t.timeoutMs);

    socket.on('error', fail);
    socket.on('close', () => finish({ ok: false, error: 'connection closed' }));

    socket.on('connect', () => {
      startedAt = performance.now();
      socket.write(
        buildOptions({
          host: t.host,
          port: t.port,
          transport: 'tcp',
          localHost: t.localHost ?? socket.localAddress ?? '127.0.0.1',
          localPort: socket.localPort ?? 0,
          branch,
          tag: randomToken(),
          callId: `${randomToken({ bytes: 12 })}@sipha`,
        }),
      );
    });

    socket.on('data', (chunk: Buffer) => {
      const { frames, rest, error } = splitFrames({ buffer: Buffer.concat([pending, chunk]) });
      pending = rest;
      for (const frame of frames) {
        const message = parseSipMessage(frame);
        if (!message || !isReplyTo({ message, branch })) continue;
        if ((message.statusCode ?? 0) < 200) continue;
        return finish(resultFromReply({ message, startedAt }));
      }
      if (error) fail(new Error(`unreadable reply: ${error}`));
    });
  });
}
