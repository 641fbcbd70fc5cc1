// TSIG (RFC 8945) with HMAC-SHA256: signs an RFC 2136 update and checks the server's signed
// answer. The key's secret is only ever an argument here; nothing is logged.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseMessage } from './parse';
import { CLASS, encodeName, type Message, TYPE } from './wire';

export interface TsigKey {
  name: string;
  /** Base64, as in named.conf and `tsig-keygen` output. */
  secret: string;
}

const ALGORITHM = 'hmac-sha256';
const FUDGE = 300;

function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}
const u16 = (n: number) => Buffer.from([(n >> 8) & 255, n & 255]);

/** The TSIG variables of RFC 8945 §4.3.3 that follow the message in the MAC input. */
function variables(key: TsigKey, timeSigned: number, fudge: number, error: number): Buffer {
  return Buffer.concat([
    encodeName(key.name),
    u16(CLASS.ANY),
    Buffer.alloc(4),
    encodeName(ALGORITHM),
    u48(timeSigned),
    u16(fudge),
    u16(error),
    u16(0),
  ]);
}

const hmac = (key: TsigKey, ...parts: Buffer[]) => {
  const h = createHmac('sha256', Buffer.from(key.secret, 'base64'));
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Appends a TSIG record to an unsigned message; returns the signed wire and its MAC. */
export function sign(unsigned: Buffer, key: TsigKey, now = Date.now()): { wire: Buffer; mac: Buffer } {
  const timeSigned = Math.floor(now / 1000);
  const mac = hmac(key, unsigned, variables(key, timeSigned, FUDGE, 0));
  const rdata = Buffer.concat([
    encodeName(ALGORITHM),
    u48(timeSigned),
    u16(FUDGE),
    u16(mac.length),
    mac,
    unsigned.subarray(0, 2),
    u16(0),
    u16(0),
  ]);
  const rr = Buffer.concat([
    encodeName(key.name),
    u16(TYPE.TSIG),
    u16(CLASS.ANY),
    Buffer.alloc(4),
    u16(rdata.length),
    rdata,
  ]);
  const wire = Buffer.concat([unsigned, rr]);
  wire.writeUInt16BE(unsigned.readUInt16BE(10) + 1, 10);
  return { wire, mac };
}

/**
 * Checks the TSIG on a server's answer to a signed request (RFC 8945 §5.3). Returns the
 * problem in words, or null when the answer is authentic.
 */
export function verifyAnswer(answer: Buffer, requestMac: Buffer, key: TsigKey): string | null {
  const msg: Message = parseMessage(answer);
  if (msg.tsigAt === undefined)
    return 'the DNS server did not sign its answer (wrong key name or algorithm?)';
  const rdata = msg.additionals.at(-1)?.data as Buffer;
  const alg = encodeName(ALGORITHM).length;
  const timeSigned = rdata.readUIntBE(alg, 6);
  const fudge = rdata.readUInt16BE(alg + 6);
  const macLen = rdata.readUInt16BE(alg + 8);
  const mac = rdata.subarray(alg + 10, alg + 10 + macLen);
  const error = rdata.readUInt16BE(alg + 12 + macLen);
  if (error === 16) return 'the DNS server rejected the TSIG signature (BADSIG: wrong secret)';
  if (error === 17) return 'the DNS server does not know this TSIG key (BADKEY)';
  if (error === 18) return 'the clocks differ too much for TSIG (BADTIME)';
  const body = Buffer.from(answer.subarray(0, msg.tsigAt));
  body.writeUInt16BE(body.readUInt16BE(10) - 1, 10);
  body.writeUInt16BE(rdata.readUInt16BE(alg + 10 + macLen), 0);
  const want = hmac(key, u16(requestMac.length), requestMac, body, variables(key, timeSigned, fudge, error));
  if (mac.length !== want.length || !timingSafeEqual(mac, want))
    return 'the answer carries a bad TSIG signature';
  return null;
}
