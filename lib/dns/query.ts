// One DNS question to one server, and one signed RFC 2136 update.
import { randomInt } from 'node:crypto';
import { type DnsServer, exchange } from './exchange';
import { parseMessage } from './parse';
import { sign, type TsigKey, verifyAnswer } from './tsig';
import { CLASS, encodeMessage, type Message, RCODE, type RR, TYPE } from './wire';

export type { DnsServer } from './exchange';

export interface Answer {
  rcode: string;
  records: RR[];
  /** The zone's SOA from the authority section of a negative answer (its minimum is the negative TTL). */
  authority: RR[];
}

export async function query(
  server: DnsServer,
  name: string,
  type: number,
  timeoutMs = 1500,
): Promise<Answer> {
  const id = randomInt(65536);
  const wire = encodeMessage({
    id,
    flags: 0x0100, // RD: harmless on an authoritative server, needed on a recursive one
    questions: [{ name, type, class: CLASS.IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
  const msg: Message = parseMessage(await exchange(server, wire, timeoutMs));
  if (msg.id !== id) throw new Error('DNS answer with a wrong id');
  return {
    rcode: RCODE[msg.rcode] ?? `RCODE${msg.rcode}`,
    records: msg.answers.filter((r) => r.type === type),
    authority: msg.authorities,
  };
}

export interface UpdateArgs {
  server: DnsServer;
  zone: string;
  key: TsigKey;
  /** Records to delete, exactly these (class NONE, RFC 2136 §2.5.4). */
  remove: RR[];
  add: RR[];
  timeoutMs?: number;
}

/** An RFC 2136 UPDATE signed with TSIG; throws with the server's words when it refuses. */
export async function update(a: UpdateArgs): Promise<void> {
  const unsigned = encodeMessage({
    id: randomInt(65536),
    flags: 5 << 11, // opcode UPDATE
    questions: [{ name: a.zone, type: TYPE.SOA, class: CLASS.IN }],
    answers: [],
    authorities: [
      ...a.remove.map((r) => ({ ...r, class: CLASS.NONE, ttl: 0 })),
      ...a.add.map((r) => ({ ...r, class: CLASS.IN })),
    ],
    additionals: [],
  });
  const { wire, mac } = sign(unsigned, a.key);
  const answer = await exchange(a.server, wire, a.timeoutMs ?? 3000);
  const msg = parseMessage(answer);
  const problem = verifyAnswer(answer, mac, a.key);
  if (msg.rcode !== 0) {
    const code = RCODE[msg.rcode] ?? String(msg.rcode);
    throw new Error(
      problem ? `update refused (${code}): ${problem}` : `update refused by the DNS server (${code})`,
    );
  }
  if (problem) throw new Error(problem);
}
