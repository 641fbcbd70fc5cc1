// DNS messages on the wire (RFC 1035 §4, RFC 2782 SRV, RFC 3403 NAPTR), just what an RFC 3263
// client and an RFC 2136 update need. No `server-only`: the lab and the benchmarks use it too.

export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  TSIG: 250,
} as const;
export const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
export const RCODE = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

export interface Srv {
  priority: number;
  weight: number;
  port: number;
  target: string;
}
export interface Naptr {
  order: number;
  preference: number;
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
}
export type RData = string | Srv | Naptr | string[] | Buffer | null;

export interface RR {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

export interface Message {
  id: number;
  flags: number;
  rcode: number;
  questions: { name: string; type: number; class: number }[];
  answers: RR[];
  authorities: RR[];
  additionals: RR[];
  /** Byte offset of a trailing TSIG record, for verifying its MAC. */
  tsigAt?: number;
}

/** Lower-case, no trailing dot: the one spelling names are compared in. */
export const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function encodeName(name: string): Buffer {
  const labels = norm(name).split('.').filter(Boolean);
  const parts = labels.map((l) => {
    const b = Buffer.from(l, 'ascii');
    if (b.length > 63) throw new Error(`DNS label too long: ${l}`);
    return Buffer.concat([Buffer.from([b.length]), b]);
  });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

const u16 = (n: number) => Buffer.from([(n >> 8) & 255, n & 255]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const str = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);

export function encodeRData(type: number, data: RData): Buffer {
  if (data === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(data)) return data;
  if (type === TYPE.A) return Buffer.from((data as string).split('.').map(Number));
  if (type === TYPE.SRV) {
    const s = data as Srv;
    return Buffer.concat([u16(s.priority), u16(s.weight), u16(s.port), encodeName(s.target)]);
  }
  if (type === TYPE.NAPTR) {
    const n = data as Naptr;
    return Buffer.concat([
      u16(n.order),
      u16(n.preference),
      str(n.flags),
      str(n.service),
      str(n.regexp),
      encodeName(n.replacement),
    ]);
  }
  if (type === TYPE.TXT) return Buffer.concat((data as string[]).map(str));
  if (type === TYPE.CNAME || type === TYPE.NS) return encodeName(data as string);
  throw new Error(`cannot encode DNS type ${type}`);
}

export function encodeRR(rr: RR): Buffer {
  const rdata = encodeRData(rr.type, rr.data);
  return Buffer.concat([
    encodeName(rr.name),
    u16(rr.type),
    u16(rr.class),
    u32(rr.ttl),
    u16(rdata.length),
    rdata,
  ]);
}

export function encodeMessage(m: Omit<Message, 'rcode' | 'tsigAt'>): Buffer {
  const head = Buffer.concat([
    u16(m.id),
    u16(m.flags),
    u16(m.questions.length),
    u16(m.answers.length),
    u16(m.authorities.length),
    u16(m.additionals.length),
  ]);
  const qs = m.questions.map((q) => Buffer.concat([encodeName(q.name), u16(q.type), u16(q.class)]));
  return Buffer.concat([head, ...qs, ...[...m.answers, ...m.authorities, ...m.additionals].map(encodeRR)]);
}
