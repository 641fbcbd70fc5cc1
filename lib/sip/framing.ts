// Splits a SIP byte stream (TCP) into whole messages. Content-Length counts bytes, so we
// work on bytes, not strings: a multi-byte character in a body must not shift the frame.

const HEADER_END = Buffer.from('\r\n\r\n');
/** A peer that sends this many header bytes without a blank line is not speaking SIP. */
export const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 1024 * 1024;

export interface FrameResult {
  /** Complete messages, headers and body, in arrival order. */
  frames: Buffer[];
  /** Bytes of an incomplete message; prepend to the next chunk. */
  rest: Buffer;
  /** Set when the stream cannot be framed any more; the connection should be dropped. */
  error?: string;
}

function contentLength(head: string): number | null {
  // Compact form `l:` is legal on the wire; a missing header means 0 (stream transports require it,
  // but being lenient here only risks reading a message as bodiless).
  const m = /(?:^|\r\n)(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*(?=\r\n|$)/i.exec(head);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n <= MAX_BODY_BYTES ? n : null;
}

export function splitFrames({ buffer }: { buffer: Buffer }): FrameResult {
  const frames: Buffer[] = [];
  let pos = 0;
  for (;;) {
    // RFC 5626 keep-alives (CRLF) may sit between messages; skip them.
    while (pos < buffer.length && (buffer[pos] === 0x0d || buffer[pos] === 0x0a)) pos++;
    if (pos >= buffer.length) return { frames, rest: Buffer.alloc(0) };
    const end = buffer.indexOf(HEADER_END, pos);
    if (end < 0) {
      const rest = buffer.subarray(pos);
      if (rest.length > MAX_HEADER_BYTES) return { frames, rest, error: 'header too large' };
      return { frames, rest };
    }
    const head = buffer.subarray(pos, end).toString('latin1');
    const len = contentLength(head);
    if (len === null) return { frames, rest: buffer.subarray(pos), error: 'bad Content-Length' };
    const total = end + HEADER_END.length + len;
    if (total > buffer.length) return { frames, rest: buffer.subarray(pos) };
    frames.push(buffer.subarray(pos, total));
    pos = total;
  }
}
