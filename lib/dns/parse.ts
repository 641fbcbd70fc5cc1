// Reading DNS messages: names with compression pointers (RFC 1035 §4.1.4) and the record
// types an RFC 3263 client meets.
import { type Message, norm, type RData, type RR, TYPE } from './wire';

export function readName(buf: Buffer, start: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = start;
  let next = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = buf.readUInt8(at);
    if (len === 0) return { name: labels.join('.'), next: next < 0 ? at + 1 : next };
    if ((len & 0xc0) === 0xc0) {
      if (next < 0) next = at + 2;
      at = buf.readUInt16BE(at) & 0x3fff;
      continue;
    }
    if (at + 1 + len > buf.length) throw new Error('DNS name runs past the message');
    labels.push(buf.toString('ascii', at + 1, at + 1 + len));
    at += 1 + len;
  }
  throw new Error('DNS name has a pointer loop');
}

function readString(buf: Buffer, at: number): { s: string; next: number } {
  const len = buf.readUInt8(at);
  return { s: buf.toString('utf8', at + 1, at + 1 + len), next: at + 1 + len };
}

function readRData(buf: Buffer, type: number, at: number, len: number): RData {
  const end = at + len;
  switch (type) {
    case TYPE.A:
      return [...buf.subarray(at, end)].join('.');
    case TYPE.AAAA: {
      const groups: string[] = [];
      for (let i = at; i < end; i += 2) groups.push(buf.readUInt16BE(i).toString(16));
      return groups.join(':');
    }
    case TYPE.CNAME:
    case TYPE.NS:
      return norm(readName(buf, at).name);
    case TYPE.SRV:
      return {
        priority: buf.readUInt16BE(at),
        weight: buf.readUInt16BE(at + 2),
        port: buf.readUInt16BE(at + 4),
        target: norm(readName(buf, at + 6).name),
      };
    case TYPE.NAPTR: {
      const flags = readString(buf, at + 4);
      const service = readString(buf, flags.next);
      const regexp = readString(buf, service.next);
      return {
        order: buf.readUInt16BE(at),
        preference: buf.readUInt16BE(at + 2),
        flags: flags.s,
        service: service.s,
        regexp: regexp.s,
        replacement: norm(readName(buf, regexp.next).name),
      };
    }
    case TYPE.TXT: {
      const out: string[] = [];
      for (let i = at; i < end; ) {
        const r = readString(buf, i);
        out.push(r.s);
        i = r.next;
      }
      return out;
    }
    default:
      return Buffer.from(buf.subarray(at, end));
  }
}

export function parseMessage(buf: Buffer): Message {
  if (buf.length < 12) throw new Error('DNS message shorter than its header');
  const flags = buf.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  let at = 12;
  const questions: Message['questions'] = [];
  for (let i = 0; i < counts[0]!; i++) {
    const n = readName(buf, at);
    questions.push({
      name: norm(n.name),
      type: buf.readUInt16BE(n.next),
      class: buf.readUInt16BE(n.next + 2),
    });
    at = n.next + 4;
  }
  const sections: RR[][] = [[], [], []];
  let tsigAt: number | undefined;
  for (const [s, count] of counts.slice(1).entries()) {
    for (let i = 0; i < count; i++) {
      const rrStart = at;
      const n = readName(buf, at);
      const type = buf.readUInt16BE(n.next);
      const len = buf.readUInt16BE(n.next + 8);
      const dataAt = n.next + 10;
      if (dataAt + len > buf.length) throw new Error('DNS record runs past the message');
      if (type === TYPE.TSIG) tsigAt = rrStart;
      sections[s]!.push({
        name: norm(n.name),
        type,
        class: buf.readUInt16BE(n.next + 2),
        ttl: buf.readUInt32BE(n.next + 4),
        data: readRData(buf, type, dataAt, len),
      });
      at = dataAt + len;
    }
  }
  return {
    id: buf.readUInt16BE(0),
    flags,
    rcode: flags & 15,
    questions,
    answers: sections[0]!,
    authorities: sections[1]!,
    additionals: sections[2]!,
    tsigAt,
  };
}
