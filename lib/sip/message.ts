// Pure SIP message helpers: build an OPTIONS probe, parse replies, and match them to the
// probe. No I/O here so the parsing can be tested against recorded wire bytes.

export {
  type BuildOptionsArgs,
  type BuildRegisterArgs,
  buildOptions,
  buildRegister,
  hostForUri,
  randomToken,
  type SipTransport,
} from './build';

export interface SipMessage {
  /** Set for responses; undefined for requests (a peer may send us its own OPTIONS). */
  statusCode?: number;
  reason?: string;
  method?: string;
  /** Lower-case full header names; one entry per header line, in wire order. */
  headers: Record<string, string[]>;
  body: string;
}

// RFC 3261 §7.3.3 compact forms, plus the few others seen in the wild.
const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  l: 'content-length',
  m: 'contact',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  o: 'event',
  u: 'allow-events',
};

const TOKEN = /^[!#$%&'*+\-.^_`~0-9a-z]+$/;

/** Parses one complete message; null when it is not SIP at all (stray datagram, garbage). */
export function parseSipMessage(input: Uint8Array | string): SipMessage | null {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  // Tolerate bare LF: some test tools and broken stacks send it (RFC 3261 §7.5 suggests leniency).
  const headEnd = text.search(/\r?\n\r?\n/);
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const body = headEnd < 0 ? '' : text.slice(headEnd).replace(/^\r?\n\r?\n/, '');
  const lines = head.replace(/^(\r?\n)+/, '').split(/\r?\n/);
  const start = lines.shift() ?? '';

  const msg: SipMessage = { headers: {}, body };
  const status = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/.exec(start);
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start);
  if (status) {
    msg.statusCode = Number(status[1]);
    msg.reason = status[2] ?? '';
  } else if (request) {
    msg.method = request[1];
  } else {
    return null;
  }

  let last: string[] | undefined;
  for (const line of lines) {
    // Header folding (RFC 3261 §7.3.1): continuation lines start with whitespace.
    if (/^[ \t]/.test(line) && last && last.length > 0) {
      last[last.length - 1] = `${last[last.length - 1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const raw = line.slice(0, colon).trim().toLowerCase();
    // Header names are tokens (RFC 3261 §25.1); anything else means we are not reading SIP.
    if (!TOKEN.test(raw)) return null;
    const name = COMPACT[raw] ?? raw;
    msg.headers[name] ??= [];
    last = msg.headers[name];
    last.push(line.slice(colon + 1).trim());
  }
  return msg;
}

/** First value of a header (after comma-splitting for Via-like lists is the caller's job). */
export function getHeader({ message, name }: { message: SipMessage; name: string }): string | undefined {
  const key = name.toLowerCase();
  return message.headers[COMPACT[key] ?? key]?.[0];
}

/** Splits on commas outside quotes and angle brackets (Via may carry several hops per line). */
function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth--;
    if (ch === ',' && !quoted && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function topViaBranch({ message }: { message: SipMessage }): string | undefined {
  const first = getHeader({ message, name: 'via' });
  const top = first ? splitList(first)[0] : undefined;
  return top ? /;\s*branch\s*=\s*([^;\s,]+)/i.exec(top)?.[1] : undefined;
}

export function cseqMethod({ message }: { message: SipMessage }): string | undefined {
  return getHeader({ message, name: 'cseq' })?.split(/\s+/)[1]?.toUpperCase();
}

/** A reply belongs to our probe only if the top Via branch and CSeq method both match. */
export function isReplyTo({
  message,
  branch,
  method = 'OPTIONS',
}: {
  message: SipMessage;
  branch: string;
  method?: string;
}): boolean {
  return (
    message.statusCode !== undefined &&
    topViaBranch({ message }) === branch &&
    cseqMethod({ message }) === method
  );
}

/** The Server header, falling back to User-Agent, for display. */
export function serverName({ message }: { message: SipMessage }): string | undefined {
  return getHeader({ message, name: 'server' }) ?? getHeader({ message, name: 'user-agent' });
}

export { type FrameResult, splitFrames } from './framing';
