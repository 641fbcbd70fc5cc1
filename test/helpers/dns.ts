import { execFileSync } from 'node:child_process';
import type { LabState } from '@/lab/index';
import { rpc } from '@/lab/kamailio';
import { update } from '@/lib/dns/query';
import type { RR } from '@/lib/dns/wire';

/** `dig` from bind9-dnsutils, as an independent client: answer lines of one question. */
export function dig(state: LabState, name: string, type: string): string[] {
  const { host, port } = state.dns!;
  const out = execFileSync('dig', ['+noall', '+answer', '-p', String(port), `@${host}`, name, type], {
    encoding: 'utf8',
  });
  return out.trim().split('\n').filter(Boolean);
}

/** Plants or reverts a change in the lab's zone, signed with the lab's TSIG key. */
export async function plant(state: LabState, change: { remove?: RR[]; add?: RR[] }): Promise<void> {
  const d = state.dns!;
  await update({
    server: { host: d.host, port: d.port },
    zone: d.zone,
    key: { name: d.keyName, secret: d.keySecret },
    remove: change.remove ?? [],
    add: change.add ?? [],
  });
}

/** registrar:accepted_regs of every SIP server, read over JSON-RPC. */
export async function acceptedRegs(state: LabState): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of state.sip) {
    // Kamailio 5.6 answers a group name, not a single statistic's full name.
    const r = (await rpc(s.rpcUrl, 'stats.get_statistics', ['registrar:'])) as string[];
    const line = r.find((l) => l.startsWith('registrar:accepted_regs')) ?? '';
    out[s.name] = Number(/=\s*(\d+)/.exec(line)?.[1] ?? Number.NaN);
  }
  return out;
}
