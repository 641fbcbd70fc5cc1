// Builds the probes' requests, OPTIONS and REGISTER (RFC 3261 §8.1.1 mandatory headers, CRLF line ends).

export type SipTransport = 'udp' | 'tcp';

const CRLF = '\r\n';

/** Random token for branch/tag/Call-ID; Web Crypto keeps this module free of node imports. */
export function randomToken({ bytes = 8 }: { bytes?: number } = {}): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** IPv6 literals need brackets inside SIP URIs and Via sent-by. */
export function hostForUri({ host }: { host: string }): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** What every request this console sends names about itself and its transaction. */
interface RequestLeg {
  transport: SipTransport;
  localHost: string;
  localPort: number;
  branch: string;
  tag: string;
  callId: string;
}

export interface BuildOptionsArgs extends RequestLeg {
  host: string;
  port: number;
}

export function buildOptions(a: BuildOptionsArgs): string {
  const target = `${hostForUri({ host: a.host })}:${a.port}`;
  const local = `${hostForUri({ host: a.localHost })}:${a.localPort}`;
  const proto = a.transport.toUpperCase();
  const lines = [
    `OPTIONS sip:${target};transport=${a.transport} SIP/2.0`,
    `Via: SIP/2.0/${proto} ${local};branch=${a.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:sipha@localhost>;tag=${a.tag}`,
    `To: <sip:${target}>`,
    `Call-ID: ${a.callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:sipha@${local};transport=${a.transport}>`,
    'Accept: application/sdp',
    'User-Agent: sipha',
    'Content-Length: 0',
  ];
  return lines.join(CRLF) + CRLF + CRLF;
}

export interface BuildRegisterArgs extends RequestLeg {
  domain: string;
  username: string;
  cseq: number;
  expires: number;
  /** The Authorization header's value, once the registrar has challenged. */
  authorization?: string;
  /** `Contact: *` with Expires 0: removes every binding of the address (RFC 3261 §10.2.2). */
  removeAll?: boolean;
}

/** REGISTER for `username@domain` (RFC 3261 §10.2), the contact being the probe's socket. */
export function buildRegister(a: BuildRegisterArgs): string {
  const local = `${hostForUri({ host: a.localHost })}:${a.localPort}`;
  const aor = `sip:${a.username}@${a.domain}`;
  const lines = [
    `REGISTER sip:${a.domain} SIP/2.0`,
    `Via: SIP/2.0/${a.transport.toUpperCase()} ${local};branch=${a.branch};rport`,
    'Max-Forwards: 70',
    `From: <${aor}>;tag=${a.tag}`,
    `To: <${aor}>`,
    `Call-ID: ${a.callId}`,
    `CSeq: ${a.cseq} REGISTER`,
    a.removeAll ? 'Contact: *' : `Contact: <sip:${a.username}@${local};transport=${a.transport}>`,
    `Expires: ${a.removeAll ? 0 : a.expires}`,
    ...(a.authorization ? [`Authorization: ${a.authorization}`] : []),
    'User-Agent: sipha',
    'Content-Length: 0',
  ];
  return lines.join(CRLF) + CRLF + CRLF;
}
