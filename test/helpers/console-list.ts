import { readFileSync } from 'node:fs';
import { parseConfig } from '@/lib/config/load';
import type { SiphaConfig } from '@/lib/config/schema';
import { ConnectionList } from '@/lib/db/connection-list';
import { migrateToLatest } from '@/lib/db/migrate';
import { until } from './poll.ts';

/** A connection list for a lab's nodes, as a console process would build it. */
export function labConfig(
  configPath: string,
  overrides: Partial<SiphaConfig['connection']> = {},
): SiphaConfig {
  const raw = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const cfg = parseConfig(raw);
  return { ...cfg, connection: { ...cfg.connection, ...overrides } };
}

export async function openList(
  configPath: string,
  overrides: Partial<SiphaConfig['connection']> = {},
): Promise<ConnectionList> {
  const list = new ConnectionList(labConfig(configPath, overrides), 'test');
  await list.ready();
  await list.write({ run: (db) => migrateToLatest(db as never) });
  return list;
}

/** Waits until the list's prober has finished `rounds` more probes of the named node. */
export async function probeRounds(list: ConnectionList, name: string, rounds: number): Promise<void> {
  const n = list.nodes.find((x) => x.handle.name === name)!;
  for (let i = 0; i < rounds; i++) {
    const before = n.checkedAt;
    await until(`a probe round on ${name}`, () => n.checkedAt !== before, 10_000);
  }
}
